# cmake -DRESOURCES=dir -DAPP_ID=id -DVERSION=x.y.z -DICONS=build/resources/hicolor -DSIZES=16,32,...
#       -P CheckResources.cmake
# The .desktop file passes desktop-file-validate, the metainfo passes `appstreamcli validate` and names
# the project's version as its newest release, and every PNG size of the icon was rendered at its size.
find_program(DESKTOP_FILE_VALIDATE desktop-file-validate)
find_program(APPSTREAMCLI appstreamcli)
if(NOT DESKTOP_FILE_VALIDATE OR NOT APPSTREAMCLI)
  message(FATAL_ERROR "desktop-file-validate and appstreamcli are needed: run scripts/setup.sh")
endif()

execute_process(COMMAND ${DESKTOP_FILE_VALIDATE} ${RESOURCES}/${APP_ID}.desktop
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
# It exits 0 on hints too; any output is something to fix.
if(NOT rc EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
  message(FATAL_ERROR "desktop-file-validate ${APP_ID}.desktop:\n${out}${err}")
endif()

# --no-net: CI machines have no network, and the metainfo has no URL to check.
set(metainfo ${RESOURCES}/${APP_ID}.metainfo.xml)
execute_process(COMMAND ${APPSTREAMCLI} validate --no-net --pedantic ${metainfo}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "appstreamcli validate ${APP_ID}.metainfo.xml:\n${out}${err}")
endif()
file(READ ${metainfo} xml)
if(NOT xml MATCHES "<release version=\"([^\"]+)\"")
  message(FATAL_ERROR "${metainfo}: no <release>")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
  message(FATAL_ERROR "${metainfo}: newest release ${CMAKE_MATCH_1}, the project is ${VERSION}: add a <release>")
endif()

# PNG: the IHDR chunk holds width and height as big-endian 32-bit numbers at bytes 16 and 20.
string(REPLACE "," ";" sizes "${SIZES}")
foreach(size IN LISTS sizes)
  set(png ${ICONS}/${size}x${size}/apps/saliency-studio.png)
  if(NOT EXISTS ${png})
    message(FATAL_ERROR "icon not rendered: ${png}")
  endif()
  file(READ ${png} header LIMIT 24 HEX)
  string(SUBSTRING "${header}" 0 16 magic)
  string(SUBSTRING "${header}" 32 8 width)
  string(SUBSTRING "${header}" 40 8 height)
  math(EXPR width "0x${width}")
  math(EXPR height "0x${height}")
  if(NOT magic STREQUAL "89504e470d0a1a0a" OR NOT width EQUAL size OR NOT height EQUAL size)
    message(FATAL_ERROR "${png}: ${width}x${height}, expected ${size}x${size}")
  endif()
endforeach()
message(STATUS "resources valid: .desktop, metainfo ${VERSION}, icon at ${SIZES} px")
