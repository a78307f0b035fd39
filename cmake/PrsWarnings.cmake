# SPDX-License-Identifier: MIT
# The warning set every prsched target compiles with.
set(PRS_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wcast-align
  -Wpointer-arith -Wwrite-strings -Wvla -Werror)

function(prs_warnings target)
  target_compile_options(${target} PRIVATE ${PRS_WARNINGS})
endfunction()
