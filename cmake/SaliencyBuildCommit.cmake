# saliency_add_build_commit(TARGET): an OBJECT library defining saliency::buildCommit() (app/BuildCommit.h)
# for --version. The commit is read at every build, not at configure time, so a new commit shows up
# without re-running CMake; when it changes only this object and the programs that link it are redone.
find_package(Git QUIET)
set(SALIENCY_WRITE_BUILD_COMMIT ${CMAKE_CURRENT_LIST_DIR}/WriteBuildCommit.cmake)

function(saliency_add_build_commit target)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/BuildCommit.cpp)
  add_custom_target(${target}_refresh
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUT=${out} -DGIT=${GIT_EXECUTABLE}
            -P ${SALIENCY_WRITE_BUILD_COMMIT}
    BYPRODUCTS ${out}
    VERBATIM)
  add_library(${target} OBJECT ${out})
  add_dependencies(${target} ${target}_refresh)
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()
