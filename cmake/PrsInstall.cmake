# SPDX-License-Identifier: MIT
# Install: static library, headers, CMake package (with the target check and
# the toolchain files), pkg-config file. Included from the top level when
# PRS_INSTALL is on.
install(TARGETS prsched EXPORT prschedTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY lib/include/ sync/include/ percpu/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h"
  PATTERN "testing.h" EXCLUDE)
set(_prs_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/prsched)
install(EXPORT prschedTargets NAMESPACE prsched:: DESTINATION ${_prs_cmakedir})
include(CMakePackageConfigHelpers)
configure_package_config_file(cmake/prschedConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/prschedConfig.cmake
  INSTALL_DESTINATION ${_prs_cmakedir})
# ARCH_INDEPENDENT: the version check must not reject a package for its
# pointer size before prschedConfig.cmake can say which target it is for.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/prschedConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
# The toolchain files a kernel can build with (-DCMAKE_TOOLCHAIN_FILE=
# <prefix>/lib/cmake/prsched/toolchain-r52.cmake) and the target rule the
# package config checks a consumer with.
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/prschedConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/prschedConfigVersion.cmake
  cmake/PrsTarget.cmake cmake/toolchain-r52.cmake cmake/toolchain-r82.cmake
  cmake/PrsGenerate.cmake
  DESTINATION ${_prs_cmakedir})
# prs-gen runs on the build machine whatever the target: the host build's
# own, or the one a cross build compiled with the host's compiler.
if(TARGET prs-gen)
  install(TARGETS prs-gen RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
elseif(PRS_GEN_EXECUTABLE)
  install(PROGRAMS ${PRS_GEN_EXECUTABLE} DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# pkg-config: Cflags carry the library's own PUBLIC definitions (the same list
# the CMake package exports), so both kinds of consumer see the library's
# struct layouts; plus the r52 float ABI, which must match at link time.
file(RELATIVE_PATH PRS_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
set(PRS_PC_ABI_FLAGS "")
if(PRS_TARGET STREQUAL "r52")
  set(PRS_PC_ABI_FLAGS " -mfloat-abi=${PRS_R52_FLOAT_ABI}")
endif()
configure_file(cmake/prsched.pc.in ${CMAKE_CURRENT_BINARY_DIR}/prsched.pc.gen @ONLY)
file(GENERATE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/prsched.pc
  INPUT ${CMAKE_CURRENT_BINARY_DIR}/prsched.pc.gen)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/prsched.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
