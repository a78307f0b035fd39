# SPDX-License-Identifier: MIT
# ctest driver for prs-gen.
#  MODE=valid:   prs-gen DESC -> gen.c + gen.map; compile gen.c with the host
#                compiler and the project's warnings against lib/include, link
#                it with CHECK_SRC, libprsched and the test harness, run it.
#  MODE=invalid: prs-gen DESC must exit 1 and print DESC:<line>: <code>: as
#                stated by the file's first line "# expect: <line>: <code>";
#                optional next lines: "# says: <regex>" (the message must
#                match: it names the other party) and "# args: <options>".
#  MODE=compile: prs-gen DESC with -H; the C file must compile (warnings as
#                errors) and define distinct symbols.
cmake_minimum_required(VERSION 3.25)
file(MAKE_DIRECTORY ${WORK})
if(MODE STREQUAL "invalid")
  file(STRINGS ${DESC} first LIMIT_COUNT 1)
  string(REGEX MATCH "^# expect: ([0-9]+): (PRS_E_[A-Z0-9_]+)" m "${first}")
  if(NOT m)
    message(FATAL_ERROR "${DESC}: first line must be '# expect: <line>: <code>'")
  endif()
  set(want "${DESC}:${CMAKE_MATCH_1}: ${CMAKE_MATCH_2}: ")
  file(STRINGS ${DESC} head LIMIT_COUNT 3)
  set(says "")
  set(args "")
  foreach(l IN LISTS head)
    if(l MATCHES "^# says: (.*)$")
      set(says "${CMAKE_MATCH_1}")
    elseif(l MATCHES "^# args: (.*)$")
      separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  execute_process(COMMAND ${GEN} ${args} -o ${WORK}/bad.c -H ${WORK}/bad.h ${DESC}
    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 1)
    message(FATAL_ERROR "prs-gen exited ${rc}, want 1\n${err}")
  endif()
  string(FIND "${err}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "stderr lacks '${want}':\n${err}")
  endif()
  if(says AND NOT err MATCHES "${says}")
    message(FATAL_ERROR "the message does not say '${says}':\n${err}")
  endif()
  if(EXISTS ${WORK}/bad.c OR EXISTS ${WORK}/bad.h)
    message(FATAL_ERROR "prs-gen wrote output despite the error")
  endif()
  message(STATUS "ok: ${err}")
  return()
endif()

execute_process(COMMAND ${GEN} -o ${WORK}/gen.c -H ${WORK}/gen.h -m ${WORK}/gen.map ${DESC}
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "prs-gen failed (${rc}):\n${err}")
endif()
separate_arguments(warn UNIX_COMMAND "${WARNINGS}")
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
if(MODE STREQUAL "compile")
  execute_process(COMMAND ${CC} -std=c11 ${warn} ${extra} -DPRS_MAX_REGIONS=${MAX_REGIONS}
      -DPRS_MAX_CPUS=${MAX_CPUS} -I${INC} -I${WORK} -c ${WORK}/gen.c -o ${WORK}/gen.o
    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "generated C does not compile:\n${out}${err}")
  endif()
  return()
endif()
execute_process(COMMAND ${CC} -std=c11 ${warn} ${extra} -DPRS_MAX_REGIONS=${MAX_REGIONS}
    -DPRS_MAX_CPUS=${MAX_CPUS} -I${INC} -I${TEST_INC} -I${WORK}
    ${WORK}/gen.c ${CHECK_SRC} ${LIBS} -o ${WORK}/check_gen
  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generated C does not compile:\n${out}${err}")
endif()
execute_process(COMMAND ${WORK}/check_gen RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generated sets differ from prs_set_build")
endif()
