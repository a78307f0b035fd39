# SPDX-License-Identifier: MIT
# Script mode: prsched consumed three ways for one target kind.
#   KIND=host: install BUILD_DIR (this host build); a consumer through
#     add_subdirectory, one through find_package, one through pkg-config,
#     each run; the two installed ones must print the same struct layout.
#   KIND=r52|r82: configure + build + install prsched from SRC_ROOT with its
#     installed-to-be toolchain file (ABI=soft|softfp|hard for r52), then link
#     the same three consumers; then the package must refuse a consumer of
#     another target (host compiler; for r52 also the other float ABI) at
#     find_package time, with a message naming both.
# Every way also checks that a consumer's `all` builds no prsched test or
# benchmark (only the library's directory is configured).
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(consumer ${SRC_ROOT}/tests/install/consumer)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

# run_fails(<regex> cmd...): cmd must fail and say <regex>.
function(run_fails want)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc EQUAL 0)
    message(FATAL_ERROR "succeeded but must fail: ${ARGN}\n${out}")
  endif()
  string(REGEX REPLACE "[ \n]+" " " flat "${out}")
  if(NOT flat MATCHES "${want}")
    message(FATAL_ERROR "failed without saying '${want}': ${ARGN}\n${out}")
  endif()
  message(STATUS "refused as expected: ${want}")
endfunction()

function(layout_line text outvar)
  string(REGEX MATCH "layout: [^\n]*" m "${text}")
  if(NOT m)
    message(FATAL_ERROR "consumer printed no layout line:\n${text}")
  endif()
  set(${outvar} "${m}" PARENT_SCOPE)
endfunction()

# Debug (-O0): the library builds at every optimization level, and a
# kernel's Debug build is the one most likely to show it does not.
set(cfg_args -DCMAKE_BUILD_TYPE=Debug)
if(KIND STREQUAL "host")
  list(APPEND cfg_args -DCMAKE_C_COMPILER=${C_COMPILER})
else()
  set(tc ${SRC_ROOT}/cmake/toolchain-${KIND}.cmake)
  list(APPEND cfg_args -DCMAKE_TOOLCHAIN_FILE=${tc})
  if(KIND STREQUAL "r52")
    list(APPEND cfg_args -DPRS_R52_FLOAT_ABI=${ABI})
  endif()
endif()

# 1. add_subdirectory(prsched): the target comes from the toolchain alone.
set(b ${WORK_DIR}/subdir)
run(${CMAKE_COMMAND} -S ${consumer} -B ${b} -DPRSCHED_SRC=${SRC_ROOT} ${cfg_args})
file(READ ${b}/prsched-kind.txt got)
if(NOT got STREQUAL KIND)
  message(FATAL_ERROR "add_subdirectory configured PRS_TARGET=${got} for a ${KIND} toolchain")
endif()
run(${CMAKE_COMMAND} --build ${b})
foreach(d tests bench)
  if(EXISTS ${b}/prsched/${d})
    message(FATAL_ERROR "the consumer's build configured prsched's ${d}/ (${b}/prsched/${d})")
  endif()
endforeach()
if(KIND STREQUAL "host")
  run(${b}/consumer)
  message(STATUS "subdir: ${out}")
endif()

# 2. The installed package.
if(KIND STREQUAL "host")
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
  # Test hooks are for test compiles only (prsched/testing.h: "Not installed").
  file(GLOB_RECURSE leaked ${prefix}/*/prsched/testing.h)
  if(leaked)
    message(FATAL_ERROR "test-only header installed: ${leaked}")
  endif()
else()
  set(pb ${WORK_DIR}/prsched-build)
  run(${CMAKE_COMMAND} -S ${SRC_ROOT} -B ${pb} -DPRS_BUILD_TESTS=OFF -DPRS_INSTALL=ON ${cfg_args})
  run(${CMAKE_COMMAND} --build ${pb})
  run(${CMAKE_COMMAND} --install ${pb} --prefix ${prefix})
  # from here on the consumer uses the installed toolchain file
  string(REPLACE "${tc}" "${prefix}/lib/cmake/prsched/toolchain-${KIND}.cmake" cfg_args "${cfg_args}")
  if(NOT EXISTS ${prefix}/lib/cmake/prsched/toolchain-${KIND}.cmake)
    message(FATAL_ERROR "toolchain-${KIND}.cmake is not installed")
  endif()
endif()
set(b ${WORK_DIR}/package)
run(${CMAKE_COMMAND} -S ${consumer} -B ${b} -DCMAKE_PREFIX_PATH=${prefix} ${cfg_args})
run(${CMAKE_COMMAND} --build ${b})
if(KIND STREQUAL "host")
  run(${b}/consumer)
  layout_line("${out}" pkg_layout)
  message(STATUS "find_package: ${pkg_layout}")
endif()

# 3. pkg-config: compile and link the same source by hand.
file(GLOB_RECURSE pcs ${prefix}/*/prsched.pc)
get_filename_component(pcdir "${pcs}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
run(pkg-config --variable=prsched_target prsched)
string(STRIP "${out}" pc_target)
if(NOT pc_target STREQUAL KIND)
  message(FATAL_ERROR "prsched.pc says prsched_target=${pc_target}, want ${KIND}")
endif()
run(pkg-config --cflags --libs prsched)
string(STRIP "${out}" flags)
message(STATUS "pkg-config: ${flags}")
# ... and the installed prs-gen by hand, at the package's region count
string(REGEX MATCH "PRS_MAX_REGIONS=([0-9]+)" m "${flags}")
if(NOT EXISTS ${prefix}/bin/prs-gen)
  message(FATAL_ERROR "prs-gen is not installed (${prefix}/bin/prs-gen)")
endif()
file(MAKE_DIRECTORY ${WORK_DIR}/gen)
run(${prefix}/bin/prs-gen --max-regions ${CMAKE_MATCH_1} -o ${WORK_DIR}/gen/prs_gen.c
    -H ${WORK_DIR}/gen/prs_gen.h ${consumer}/sets.txt)
separate_arguments(flags UNIX_COMMAND "${flags}")
list(APPEND flags -I${WORK_DIR}/gen ${WORK_DIR}/gen/prs_gen.c)
if(KIND STREQUAL "host")
  run(${C_COMPILER} -std=c11 ${consumer}/consumer.c ${flags} -o ${WORK_DIR}/consumer-pc)
  run(${WORK_DIR}/consumer-pc)
  layout_line("${out}" pc_layout)
  if(NOT pc_layout STREQUAL pkg_layout)
    message(FATAL_ERROR "pkg-config consumer sees another layout than the library:\n"
      "  find_package: ${pkg_layout}\n  pkg-config:   ${pc_layout}")
  endif()
else()
  if(KIND STREQUAL "r52")
    set(cc arm-none-eabi-gcc)
    set(arch -mcpu=cortex-r52 -marm)
    if(NOT ABI STREQUAL "soft")
      list(APPEND arch -mfpu=auto)
    endif()
  else()
    set(cc aarch64-linux-gnu-gcc)
    set(arch -march=armv8-r -mgeneral-regs-only -fno-pic -fno-pie -static -no-pie)
  endif()
  run(${cc} -std=c11 -ffreestanding ${arch} ${consumer}/consumer_fw.c ${flags}
      -nostdlib -nostartfiles -Wl,--entry=consumer_entry -lgcc -o ${WORK_DIR}/consumer-pc.elf)
endif()

# 4. The package refuses what would not link; an explicit PRS_TARGET that
# contradicts the toolchain is refused too.
if(KIND STREQUAL "host")
  return()
endif()
run_fails("PRS_TARGET=host but the toolchain builds for ${KIND}"
  ${CMAKE_COMMAND} -S ${SRC_ROOT} -B ${WORK_DIR}/explicit-host -DPRS_TARGET=host
  -DPRS_BUILD_TESTS=OFF ${cfg_args})
run_fails("built for ${KIND}, but this project builds for host"
  ${CMAKE_COMMAND} -S ${consumer} -B ${WORK_DIR}/wrong-host -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_C_COMPILER=${C_COMPILER})
if(KIND STREQUAL "r52")
  if(ABI STREQUAL "hard")
    set(other soft)
  else()
    set(other hard)
  endif()
  run_fails("built with -mfloat-abi=${ABI}, this project uses -mfloat-abi=${other}"
    ${CMAKE_COMMAND} -S ${consumer} -B ${WORK_DIR}/wrong-abi -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_TOOLCHAIN_FILE=${prefix}/lib/cmake/prsched/toolchain-r52.cmake
    -DPRS_R52_FLOAT_ABI=${other})
endif()
