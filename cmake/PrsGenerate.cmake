# SPDX-License-Identifier: MIT
#   prs_generate_sets(TARGET <firmware> DESCRIPTION <desc.txt>
#                     [PREFIX <name>] [MAX_REGIONS <n>] [MAX_SET_REGIONS <n>])
# Runs prs-gen on <desc.txt> at build time (again whenever it changes) into
# <binary dir>/<name>.c, .h and .map (name default prs_gen), and adds to
# <firmware> the C file and the include folder of the header (the boot
# helper prs_gen_publish(), prsched/gen_boot.h, is in the library: sync/). MAX_REGIONS
# and MAX_SET_REGIONS default to the library's PRS_MAX_REGIONS and PRS_MAX_SET_REGIONS. prs-gen is the build tree's
# (host build: the prs-gen target; cross build: prs-gen built for the build
# machine) or, from the installed package, <prefix>/bin/prs-gen.
function(prs_generate_sets)
  cmake_parse_arguments(G "" "TARGET;DESCRIPTION;PREFIX;MAX_REGIONS;MAX_SET_REGIONS" "" ${ARGN})
  if(NOT G_TARGET OR NOT G_DESCRIPTION)
    message(FATAL_ERROR "prs_generate_sets: TARGET and DESCRIPTION are required")
  endif()
  if(NOT G_PREFIX)
    set(G_PREFIX prs_gen)
  endif()
  if(NOT G_MAX_REGIONS)
    if(DEFINED PRS_MAX_REGIONS)
      set(G_MAX_REGIONS ${PRS_MAX_REGIONS})
    else()
      set(G_MAX_REGIONS ${prsched_MAX_REGIONS})
    endif()
  endif()
  if(NOT G_MAX_SET_REGIONS)
    if(DEFINED PRS_MAX_SET_REGIONS)
      set(G_MAX_SET_REGIONS ${PRS_MAX_SET_REGIONS})
    else()
      set(G_MAX_SET_REGIONS ${prsched_MAX_SET_REGIONS})
    endif()
  endif()
  if(TARGET prs-gen)
    set(gen $<TARGET_FILE:prs-gen>)
    set(gen_dep prs-gen)
  elseif(PRS_GEN_EXECUTABLE)
    set(gen ${PRS_GEN_EXECUTABLE})
    set(gen_dep ${PRS_GEN_EXECUTABLE})
    if(TARGET prs_gen_host)
      list(APPEND gen_dep prs_gen_host)
    endif()
  else()
    message(FATAL_ERROR "prs_generate_sets: no prs-gen (build prsched for the host, or install it)")
  endif()
  get_filename_component(desc ${G_DESCRIPTION} ABSOLUTE)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${G_TARGET}-sets)
  set(out ${dir}/${G_PREFIX}.c ${dir}/${G_PREFIX}.h ${dir}/${G_PREFIX}.map)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${gen} --max-regions ${G_MAX_REGIONS} --max-set-regions ${G_MAX_SET_REGIONS} --prefix ${G_PREFIX}
      -o ${dir}/${G_PREFIX}.c -H ${dir}/${G_PREFIX}.h -m ${dir}/${G_PREFIX}.map ${desc}
    DEPENDS ${desc} ${gen_dep}
    COMMENT "prs-gen ${G_DESCRIPTION} -> ${G_PREFIX}.c/.h/.map" VERBATIM)
  target_sources(${G_TARGET} PRIVATE ${dir}/${G_PREFIX}.c)
  target_include_directories(${G_TARGET} PRIVATE ${dir})
endfunction()
