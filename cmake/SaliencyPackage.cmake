# Install layout and the Debian package.
#   bin/                                  saliency-studio, saliency-cli (app/CMakeLists.txt)
#   share/saliency-studio/models/         the demo checkpoints with their model cards and split
#   share/doc/saliency-studio/            README.md and docs/ (relative links keep working)
#   share/icons/hicolor, applications/, metainfo/   the icon, .desktop file, metainfo (resources/)
# `cpack -G DEB` in the build folder makes saliency-studio_VERSION_ARCH.deb; tests/package_smoke.sh
# builds it, unpacks it and runs the installed programs.
include_guard(GLOBAL)

# `cpack` and the `install` target install what is built and never start a build themselves: the
# test package_smoke runs cpack inside ctest, beside other tests, after the build.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(SALIENCY_DATA_DIR ${CMAKE_INSTALL_DATADIR}/saliency-studio)
set(SALIENCY_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/saliency-studio)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/ DESTINATION ${SALIENCY_DATA_DIR}/models
        FILES_MATCHING PATTERN "*.pt" PATTERN "*.pt.json" PATTERN "*.split.json")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${SALIENCY_DOC_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs DESTINATION ${SALIENCY_DOC_DIR})

set(SALIENCY_PACKAGE_MAINTAINER "Saliency Studio maintainers <maintainers@users.noreply.r-seed-2cf7212b.example>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME saliency-studio)
set(CPACK_PACKAGE_VENDOR "The Saliency Studio developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Saliency maps of brain-MRI CNNs: desktop app and command line")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # saliency-studio_0.2.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SALIENCY_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The synopsis line is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Saliency Studio shows where a convolutional network looks when it calls a brain MRI scan tumour
or healthy: CAM, Grad-CAM, Guided Backpropagation and Guided Grad-CAM side by side for several
networks, marks of each map, statistics (centre of mass, IoU, agreement with tumour masks),
training on the CPU or a GPU, and figures for papers. saliency-cli does the same headless.
Demo models are in /usr/share/saliency-studio/models.")
# The runtime libraries come from dpkg-shlibdeps (libtorch1.13, libqt6widgets6, libopencv-*4.6,
# libdcmtk17, libnifti2, libsqlite3-0, libqcustomplot2.1-qt6 ...). Declared by hand is what it cannot see:
# LibTorch links the generic libblas.so.3, and the reference BLAS behind it is very slow for fully
# connected layers (DESIGN.md section 3), so OpenBLAS is a dependency, not a suggestion.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread")
# `saliency-cli demo-data` paints its tumours into the Colin27 head of mricron-data.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "mricron-data")
set(CPACK_STRIP_FILES ON)
# gzip, not xz: the content is mostly PNGs and network weights, which xz shrinks by only 5% more
# (25.2 against 26.7 MB) at 20 times the time (27 s against 1.3 s), and package_smoke runs in every CI run.
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
include(CPack)
