# SPDX-License-Identifier: MIT
#   prs_library_copy(NAME <target> DEFINES <NAME=value>... [SOURCES <extra.c>...])
# A copy of the prsched library: the same sources, include folders and
# per-source options (switch.c's -fno-jump-tables), its exported
# definitions with each of DEFINES replacing any of the same name, and
# DEFINES made PUBLIC so users see them too (#if PRS_STATS). For builds of
# the same C with a compile-time switch: the tests' hooks (PRS_TESTING),
# the counters (PRS_STATS), cache maintenance (PRS_CACHE_MAINT), a fixed
# static count (PRS_NSTATIC). Link it ahead of prsched: every prsched
# symbol then resolves from the copy.
function(prs_library_copy)
  cmake_parse_arguments(C "" "NAME" "DEFINES;SOURCES" ${ARGN})
  get_target_property(src prsched SOURCES)
  get_target_property(inc prsched INCLUDE_DIRECTORIES)
  get_target_property(idef prsched INTERFACE_COMPILE_DEFINITIONS)
  get_target_property(opt prsched COMPILE_OPTIONS)
  foreach(d IN LISTS C_DEFINES)
    string(REGEX REPLACE "=.*" "" key "${d}")
    list(FILTER idef EXCLUDE REGEX "^${key}(=|$)")
  endforeach()
  add_library(${C_NAME} STATIC ${src} ${C_SOURCES})
  target_include_directories(${C_NAME} PUBLIC ${inc})
  target_compile_definitions(${C_NAME} PUBLIC ${idef} ${C_DEFINES})
  if(opt)
    target_compile_options(${C_NAME} PRIVATE ${opt})
  endif()
  prs_warnings(${C_NAME})
  foreach(s IN LISTS src)
    get_source_file_property(sopt ${s} TARGET_DIRECTORY prsched COMPILE_OPTIONS)
    if(sopt)
      set_source_files_properties(${s} TARGET_DIRECTORY ${C_NAME} PROPERTIES COMPILE_OPTIONS "${sopt}")
    endif()
  endforeach()
endfunction()
