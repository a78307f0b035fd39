# SPDX-License-Identifier: MIT
# Cortex-R82 (Armv8-R AArch64): Debian's aarch64-linux-gnu GCC used freestanding.
# No emulator models an Armv8-R AArch64 CPU: this target is compiled and linked
# only (the r82-user preset runs the portable code under qemu-aarch64).
# Installed with the package.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_OBJDUMP aarch64-linux-gnu-objdump CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "-march=armv8-r -mgeneral-regs-only -ffreestanding -fno-pic -fno-pie -fno-stack-protector -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "-march=armv8-r")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles -static -no-pie -Wl,--gc-sections")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
