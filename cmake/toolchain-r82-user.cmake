# SPDX-License-Identifier: MIT
# Cortex-R82's portable code as AArch64 Linux user programs (preset r82-user):
# the host backend (MPU model) and the host test suites, compiled by Debian's
# aarch64-linux-gnu-gcc for Armv8-R (so acquire/release atomics become
# LDAR/STLR/LDAPR and LSE, never exclusives or outline helpers) and run by
# ctest under qemu-aarch64 user mode (Debian qemu-user). No Armv8-R AArch64
# system emulator exists; this executes everything but lib/arch's register
# accessors, which the r82 preset compiles and links.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_C_FLAGS_INIT "-march=armv8-r -mno-outline-atomics")
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
find_program(PRS_QEMU_AARCH64 qemu-aarch64)
if(NOT PRS_QEMU_AARCH64)
  set(PRS_QEMU_AARCH64 qemu-aarch64) # the tests then fail, naming it
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR ${PRS_QEMU_AARCH64} -L /usr/aarch64-linux-gnu)
