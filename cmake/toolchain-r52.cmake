# SPDX-License-Identifier: MIT
# Cortex-R52 (Armv8-R AArch32), bare metal, arm-none-eabi from Debian.
# Installed with the package: a kernel can build with it and find prsched.
#   -DPRS_R52_FLOAT_ABI=soft|softfp|hard   (default soft: no FPU use at all)
# softfp and hard use the R52's FPU (-mfpu=auto from -mcpu); the kernel then
# enables it (CPACR, HCPTR, FPEXC) before any C code runs, and every object of
# one image must use the same ABI (hard passes floats in VFP registers).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
if(NOT PRS_R52_FLOAT_ABI)
  set(PRS_R52_FLOAT_ABI soft)
endif()
if(NOT PRS_R52_FLOAT_ABI MATCHES "^(soft|softfp|hard)$")
  message(FATAL_ERROR "PRS_R52_FLOAT_ABI must be soft, softfp or hard (got '${PRS_R52_FLOAT_ABI}')")
endif()
set(PRS_R52_FLOAT_ABI ${PRS_R52_FLOAT_ABI} CACHE STRING "Cortex-R52 float ABI: soft, softfp or hard")
# try_compile projects re-read this file: hand them the choice.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PRS_R52_FLOAT_ABI)
set(_prs_abi "-mfloat-abi=${PRS_R52_FLOAT_ABI}")
if(NOT PRS_R52_FLOAT_ABI STREQUAL "soft")
  string(APPEND _prs_abi " -mfpu=auto")
endif()
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJDUMP arm-none-eabi-objdump CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-r52 -marm ${_prs_abi} -ffreestanding -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "-mcpu=cortex-r52 -marm ${_prs_abi}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles -Wl,--gc-sections")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
