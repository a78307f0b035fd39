# SPDX-License-Identifier: MIT
# prs_detect_target(<out-var>): the prsched target kind the current toolchain
# builds for, from the toolchain alone, so that a kernel's cross build that
# does add_subdirectory(prsched) or find_package(prsched) gets the right
# backend without knowing prsched's options:
#   a hosted system (not cross compiling, or CMAKE_SYSTEM_NAME Linux/Darwin/...)
#                                        -> host (MPU model backend)
#   bare metal (Generic), CMAKE_SYSTEM_PROCESSOR arm*, cortex-r52 -> r52
#   bare metal, aarch64, arm64, cortex-r82                        -> r82
# Anything else is a fatal error naming the processor it saw. Installed with
# the package (prschedConfig.cmake checks a consumer with the same rule).
function(prs_detect_target out)
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" cpu)
  if(NOT CMAKE_CROSSCOMPILING OR NOT CMAKE_SYSTEM_NAME STREQUAL "Generic")
    set(${out} host PARENT_SCOPE)
  elseif(cpu MATCHES "^(aarch64|arm64|cortex-r82)$")
    set(${out} r82 PARENT_SCOPE)
  elseif(cpu MATCHES "^(arm|armv7.*|armv8.*|cortex-r52)$")
    set(${out} r52 PARENT_SCOPE)
  else()
    message(FATAL_ERROR "prsched: cannot tell the target from the toolchain: "
      "CMAKE_SYSTEM_NAME='${CMAKE_SYSTEM_NAME}', CMAKE_SYSTEM_PROCESSOR='${CMAKE_SYSTEM_PROCESSOR}'. "
      "Bare-metal builds need CMAKE_SYSTEM_PROCESSOR arm or cortex-r52 (Cortex-R52) or aarch64 "
      "or cortex-r82 (Cortex-R82); or pass -DPRS_TARGET=host|r52|r82.")
  endif()
endfunction()
