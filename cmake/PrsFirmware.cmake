# SPDX-License-Identifier: MIT
# Firmware images for the r52 target and their QEMU tests.
#
#   prs_add_firmware(NAME n SOURCES ... [LIBS ...] [DEFINES ...])
#     n.elf: the sources + LIBS + the prs_test firmware side + prsched +
#     prs_rt (bench/rt) + libgcc, -nostdlib, bench/rt/rt.ld, --gc-sections,
#     map file n.map next to it.
#
#   prs_add_qemu_test(NAME n SOURCES ... [SMP 1|2] [TIMEOUT s] [ICOUNT]
#                     [LIBS ...] [DEFINES ...]
#                     [EXPECT_EXIT code EXPECT_OUTPUT regex])
#     builds n.elf and a ctest running it through cmake/qemu-run.sh, which
#     fails on a non-zero guest exit, on no console output and on a hang
#     (TIMEOUT, default 10 s). SMP defaults to 2 and is visible to the
#     firmware as PRS_QEMU_SMP. With EXPECT_EXIT the test instead passes only
#     if the run fails with exactly that status AND its output matches
#     EXPECT_OUTPUT (how the runner's own failure detection is tested).
#
# Both do nothing unless PRS_TARGET is r52.
set(PRS_FW_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. CACHE INTERNAL "")
set(PRS_RT_LINKER_SCRIPT ${PRS_FW_ROOT}/bench/rt/rt.ld CACHE INTERNAL "")
set(PRS_QEMU_RUN ${PRS_FW_ROOT}/cmake/qemu-run.sh CACHE INTERNAL "")
set(PRS_EXPECT_FAIL ${PRS_FW_ROOT}/tests/qemu/expect-fail.sh CACHE INTERNAL "")
if(PRS_TARGET STREQUAL "r52")
  find_program(PRS_QEMU_SYSTEM_ARM qemu-system-arm)
  if(NOT PRS_QEMU_SYSTEM_ARM)
    # Keep the tests: qemu-run.sh then fails them, naming the missing binary.
    set(PRS_QEMU_SYSTEM_ARM qemu-system-arm)
    message(WARNING "qemu-system-arm not found: QEMU tests will fail")
  endif()
endif()

function(prs_add_firmware)
  if(NOT PRS_TARGET STREQUAL "r52")
    return()
  endif()
  cmake_parse_arguments(F "" "NAME" "SOURCES;LIBS;DEFINES" ${ARGN})
  add_executable(${F_NAME} ${F_SOURCES})
  set_target_properties(${F_NAME} PROPERTIES SUFFIX ".elf"
    LINK_DEPENDS ${PRS_RT_LINKER_SCRIPT})
  prs_warnings(${F_NAME})
  target_compile_definitions(${F_NAME} PRIVATE ${F_DEFINES})
  # Order matters for a one-pass static link: users first, then the
  # harness side, the library, the runtime (memcpy & co. for all of them),
  # and libgcc last.
  target_link_libraries(${F_NAME} PRIVATE ${F_LIBS} prs_test_fw prsched prs_rt gcc)
  target_link_options(${F_NAME} PRIVATE -nostdlib -nostartfiles
    -T${PRS_RT_LINKER_SCRIPT} -Wl,--gc-sections
    -Wl,-Map=${CMAKE_CURRENT_BINARY_DIR}/${F_NAME}.map)
endfunction()

function(prs_add_qemu_test)
  if(NOT PRS_TARGET STREQUAL "r52")
    return()
  endif()
  cmake_parse_arguments(T "ICOUNT" "NAME;SMP;TIMEOUT;EXPECT_EXIT;EXPECT_OUTPUT"
    "SOURCES;LIBS;DEFINES" ${ARGN})
  if(NOT T_SMP)
    set(T_SMP 2)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 10)
  endif()
  prs_add_firmware(NAME ${T_NAME} SOURCES ${T_SOURCES} LIBS ${T_LIBS}
    DEFINES PRS_QEMU_SMP=${T_SMP} ${T_DEFINES})
  set(run ${PRS_QEMU_RUN} --qemu ${PRS_QEMU_SYSTEM_ARM} --smp ${T_SMP}
    --timeout ${T_TIMEOUT})
  if(T_ICOUNT)
    list(APPEND run --icount)
  endif()
  list(APPEND run $<TARGET_FILE:${T_NAME}>)
  if(DEFINED T_EXPECT_EXIT)
    add_test(NAME ${T_NAME}
      COMMAND ${PRS_EXPECT_FAIL} ${T_EXPECT_EXIT} "${T_EXPECT_OUTPUT}" ${run})
  else()
    add_test(NAME ${T_NAME} COMMAND ${run})
  endif()
  # ctest's own limit is only a backstop behind qemu-run.sh's timeout.
  math(EXPR backstop "${T_TIMEOUT} + 15")
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${backstop} LABELS qemu)
endfunction()
