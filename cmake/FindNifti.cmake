# Debian 12's libnifti2-dev ships a CMake config that points at files that do not exist,
# so find the headers and the two libraries (niftiio, znz) by hand.
find_path(Nifti_INCLUDE_DIR nifti1_io.h PATH_SUFFIXES nifti)
find_library(Nifti_IO_LIBRARY niftiio)
find_library(Nifti_ZNZ_LIBRARY znz)
find_package(ZLIB REQUIRED)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Nifti REQUIRED_VARS Nifti_INCLUDE_DIR Nifti_IO_LIBRARY Nifti_ZNZ_LIBRARY)
if(Nifti_FOUND AND NOT TARGET Nifti::niftiio)
  add_library(Nifti::znz UNKNOWN IMPORTED)
  set_target_properties(Nifti::znz PROPERTIES IMPORTED_LOCATION "${Nifti_ZNZ_LIBRARY}"
                        INTERFACE_LINK_LIBRARIES ZLIB::ZLIB)
  add_library(Nifti::niftiio UNKNOWN IMPORTED)
  set_target_properties(Nifti::niftiio PROPERTIES IMPORTED_LOCATION "${Nifti_IO_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${Nifti_INCLUDE_DIR}"
                        INTERFACE_LINK_LIBRARIES "Nifti::znz;m")
endif()
