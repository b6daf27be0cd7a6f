# cmake -DSTUDIO=saliency-studio -DVERSION=x.y.z -P CheckStudioCommandLine.cmake
# `--version` and `--help` must answer on a machine without a display: run both with DISPLAY,
# WAYLAND_DISPLAY and QT_QPA_PLATFORM unset (Qt would otherwise abort for want of xcb).
set(no_display ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY --unset=QT_QPA_PLATFORM)

execute_process(COMMAND ${no_display} ${STUDIO} --version
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "saliency-studio --version without a display: exit ${rc}\n${out}${err}")
endif()
string(REPLACE "." "\\." version_re "${VERSION}")
foreach(line "^saliency-studio ${version_re}\n" "\ncommit ([0-9a-f]+(-dirty)?|unknown)\n"
             "\nLibTorch [0-9]+\\.[0-9]+\\.[0-9]+\n" "\nCUDA (not available|available \\([0-9]+ devices?\\))\n$")
  if(NOT out MATCHES "${line}")
    message(FATAL_ERROR "saliency-studio --version: no line matching '${line}' in:\n${out}")
  endif()
endforeach()

foreach(flag --help -h)
  execute_process(COMMAND ${no_display} ${STUDIO} ${flag}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "saliency-studio ${flag} without a display: exit ${rc}\n${out}${err}")
  endif()
  foreach(option --data --model --screenshot --version)
    if(NOT out MATCHES "${option}")
      message(FATAL_ERROR "saliency-studio ${flag}: ${option} missing from:\n${out}")
    endif()
  endforeach()
endforeach()
message(STATUS "saliency-studio --version and --help answer without a display")
