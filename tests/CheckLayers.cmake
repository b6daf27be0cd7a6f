cmake_minimum_required(VERSION 3.25)  # script mode: IN_LIST and the other policies of today
# The layer rules of DESIGN.md section 2, checked on the sources (includes) and on the targets (links):
#   core/        includes no Qt or QCustomPlot header; its libraries link no Qt.
#   ui/          (widgets and the chart library) includes no LibTorch header; saliency_ui links no
#                LibTorch library directly (it trains and explains through core's torch-free headers),
#                saliency_charts not even the core libraries that run networks.
#   ui/charts/   the chart library includes nothing from the widgets around it (ui/*.h), so that the
#                CLI can link it without the app.
#   app/cli/     no Qt or QCustomPlot header, and no chart-library header, except in the report
#                command (ReportCommand.cpp), which draws the charts; saliency-cli links Qt only
#                through saliency_charts.
# LibTorch headers break under Qt's keyword macros, and the boundaries keep the CLI display-free.
# Links come as -D<TARGET>_LINKS=a|b|c (tests/CMakeLists.txt passes each target's LINK_LIBRARIES).
set(violations "")
set(qt_include "^[ \t]*#[ \t]*include[ \t]*[<\"](Q[A-Za-z]+|Qt[A-Za-z]*/|qcustomplot)")
set(torch_include "^[ \t]*#[ \t]*include[ \t]*[<\"](torch/|ATen/|c10/|caffe2/)")

# Files under `folder` (except those named in `allowed`) whose includes match `regex`.
function(check_includes folder regex allowed what)
  file(GLOB_RECURSE files ${ROOT}/${folder}/*.h ${ROOT}/${folder}/*.hpp ${ROOT}/${folder}/*.cpp)
  foreach(f IN LISTS files)
    get_filename_component(name ${f} NAME)
    if(name IN_LIST allowed)
      continue()
    endif()
    file(STRINGS ${f} hits REGEX "${regex}")
    if(hits)
      list(APPEND violations "${f} ${what}: ${hits}")
    endif()
  endforeach()
  list(LENGTH files n)
  set(n_${folder} ${n} PARENT_SCOPE)
  set(violations "${violations}" PARENT_SCOPE)
endfunction()

# An include regex for the basenames of the headers directly in `folder`.
function(headers_regex folder out)
  file(GLOB headers ${ROOT}/${folder}/*.h)
  set(names "")
  foreach(h IN LISTS headers)
    get_filename_component(name ${h} NAME)
    string(REPLACE "." "\\." name ${name})
    list(APPEND names ${name})
  endforeach()
  list(JOIN names "|" alternatives)
  set(${out} "^[ \t]*#[ \t]*include[ \t]*[<\"]([A-Za-z]+/)?(${alternatives})[\">]" PARENT_SCOPE)
endfunction()

check_includes(core "${qt_include}" "" "includes Qt")
check_includes(ui "${torch_include}" "" "includes LibTorch")
headers_regex(ui widget_headers)
check_includes(ui/charts "${widget_headers}" "" "includes a widget header of ui/")
check_includes(app/cli "${qt_include}" "ReportCommand.cpp" "includes Qt outside the report command")
headers_regex(ui/charts chart_headers)
check_includes(app/cli "${chart_headers}" "ReportCommand.cpp" "includes the chart library outside the report command")

# ---- links ----
function(check_links target links regex what)
  string(REPLACE "|" ";" links "${links}")
  foreach(l IN LISTS links)
    if(l MATCHES "${regex}")
      list(APPEND violations "${target} ${what}: ${l}")
    endif()
  endforeach()
  set(violations "${violations}" PARENT_SCOPE)
endfunction()
set(qt_link "^(Qt6?::|QCustomPlot)")
set(torch_link "(^torch|^c10|libtorch|libc10)")
# The chart library draws numbers: not even the core libraries that run networks.
set(network_link "(^torch|^c10|libtorch|libc10|^saliency_models$|^saliency_training$|^saliency_batching$)")
foreach(target IN ITEMS common io data batching demo models training saliency metrics study)
  if(NOT DEFINED saliency_${target}_LINKS)
    message(FATAL_ERROR "the links of saliency_${target} were not passed: the check would pass vacuously")
  endif()
  check_links(saliency_${target} "${saliency_${target}_LINKS}" "${qt_link}" "links Qt")
endforeach()
check_links(saliency_charts "${saliency_charts_LINKS}" "${network_link}" "links LibTorch or a network library")
if(DEFINED saliency_ui_LINKS)
  check_links(saliency_ui "${saliency_ui_LINKS}" "${torch_link}" "links LibTorch")
endif()
check_links(saliency-cli "${saliency-cli_LINKS}" "${qt_link}" "links Qt other than through saliency_charts")
if(NOT "saliency_charts" IN_LIST saliency-cli_LINKS AND NOT saliency-cli_LINKS MATCHES "(^|\\|)saliency_charts(\\||$)")
  list(APPEND violations "saliency-cli does not link saliency_charts: report could not draw its charts")
endif()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "Layer rule broken (DESIGN.md section 2):\n  ${text}")
endif()
if(n_core EQUAL 0 OR n_ui/charts EQUAL 0 OR n_app/cli EQUAL 0)
  message(FATAL_ERROR "no sources found under ${ROOT}: the check would pass vacuously")
endif()
message(STATUS "layer rules hold: ${n_core} core files free of Qt, ${n_ui} ui files free of LibTorch, "
               "${n_ui/charts} chart files free of widgets, the CLI's Qt in its report command only")
