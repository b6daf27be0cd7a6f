// Map statistics: centre of mass, binarisation, IoU, mask agreement, faithfulness, summaries,
// confidence intervals of proportions, Cohen's kappa.
// Every expectation is analytic (computed by hand in the comments).
#include <QtTest>

#include <cmath>
#include <functional>
#include <string>

#include <opencv2/core.hpp>

#include "common/Error.h"
#include "metrics/Aggregate.h"
#include "metrics/Binarise.h"
#include "metrics/CentreOfMass.h"
#include "metrics/CohenKappa.h"
#include "metrics/Faithfulness.h"
#include "metrics/MaskAgreement.h"
#include "metrics/MultiRaterAgreement.h"
#include "metrics/Overlap.h"
#include "metrics/PairwiseAgreement.h"
#include "metrics/Proportion.h"

using namespace saliency;
using namespace saliency::metrics;

namespace {

constexpr double kTol = 1e-9;

bool near(double a, double b, double tol = kTol) {
    return std::abs(a - b) <= tol;
}

// A CV_32FC1 map of size w x h (cols x rows) with `value` on the rectangle (x, y, rw, rh).
cv::Mat rectMap(int w, int h, cv::Rect r, float value = 1.0f) {
    cv::Mat m = cv::Mat::zeros(h, w, CV_32FC1);
    m(r).setTo(value);
    return m;
}

cv::Mat rectMask(int w, int h, cv::Rect r) {
    cv::Mat m = cv::Mat::zeros(h, w, CV_8UC1);
    m(r).setTo(255);
    return m;
}

// A blob symmetric about the centre of pixel (cx, cy): value depends only on the squared distance.
cv::Mat addBlob(cv::Mat map, int cx, int cy, int radius) {
    for (int y = cy - radius; y <= cy + radius; ++y)
        for (int x = cx - radius; x <= cx + radius; ++x) {
            const int d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
            if (d2 <= radius * radius)
                map.at<float>(y, x) += static_cast<float>(std::exp(-d2 / 4.0));
        }
    return map;
}

// Throws saliency::Error whose message contains `part`.
void expectError(const std::function<void()>& call, const std::string& part) {
    try {
        call();
    } catch (const Error& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(part) != std::string::npos,
                 ("message '" + what + "' lacks '" + part + "'").c_str());
        return;
    }
    QFAIL(("no saliency::Error thrown (expected one about '" + part + "')").c_str());
}

// Toy model: the mean brightness (all channels, scaled to [0,1]) of rows 1..2 of a 4x4 image.
std::vector<double> meanOfMiddleRows(const std::vector<cv::Mat>& images) {
    std::vector<double> scores;
    for (const auto& image : images) {
        cv::Mat f;
        image.convertTo(f, CV_64FC3, image.depth() == CV_8U ? 1.0 / 255.0 : 1.0);
        const cv::Scalar mean = cv::mean(f(cv::Rect(0, 1, f.cols, 2)));
        scores.push_back((mean[0] + mean[1] + mean[2]) / 3.0);
    }
    return scores;
}

}  // namespace

class TestMetrics : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    // --- centre of mass -------------------------------------------------------------------------
    void centreOfSingleHotPixel_data() {
        QTest::addColumn<int>("i");
        QTest::addColumn<int>("j");
        QTest::newRow("top-left") << 0 << 0;
        QTest::newRow("bottom-right") << 6 << 4;
        QTest::newRow("inner") << 3 << 1;
        QTest::newRow("right edge") << 6 << 2;
    }
    void centreOfSingleHotPixel() {
        QFETCH(int, i);
        QFETCH(int, j);
        const int w = 7, h = 5;
        cv::Mat map = cv::Mat::zeros(h, w, CV_32FC1);
        map.at<float>(j, i) = 0.3f;
        const auto c = centreOfMass(map);
        QVERIFY(c.has_value());
        QVERIFY(near(c->x, (i + 0.5) / w));
        QVERIFY(near(c->y, (j + 0.5) / h));
    }

    void centreOfUniformMapIsTheMiddle() {
        const auto c = centreOfMass(cv::Mat(4, 6, CV_32FC1, cv::Scalar(0.7)));
        QVERIFY(c.has_value());
        QVERIFY(near(c->x, 0.5));
        QVERIFY(near(c->y, 0.5));
    }

    void centreOfSymmetricBlobIsItsCentre() {
        const cv::Mat map = addBlob(cv::Mat::zeros(40, 32, CV_32FC1), 12, 20, 4);
        const auto c = centreOfMass(map);
        QVERIFY(c.has_value());
        QVERIFY(near(c->x, 12.5 / 32, 1e-7));
        QVERIFY(near(c->y, 20.5 / 40, 1e-7));
    }

    void centreOfTwoEqualBlobsIsTheMidpoint() {
        cv::Mat map = addBlob(cv::Mat::zeros(30, 40, CV_32FC1), 6, 5, 3);
        map = addBlob(map, 30, 21, 3);
        const auto c = centreOfMass(map);
        QVERIFY(c.has_value());
        QVERIFY(near(c->x, (6.5 + 30.5) / 2 / 40, 1e-7));
        QVERIFY(near(c->y, (5.5 + 21.5) / 2 / 30, 1e-7));
    }

    void zeroMapHasNoCentre() {
        const cv::Mat zero = cv::Mat::zeros(8, 8, CV_32FC1);
        QVERIFY(!centreOfMass(zero).has_value());
        QVERIFY(!centreOfMassDistance(zero, rectMap(8, 8, {0, 0, 2, 2})).has_value());
    }

    void centreDistanceInImageUnits() {
        // Hot pixels (0,0) and (3,3) on 4x4: centres (1/8,1/8) and (7/8,7/8), distance 0.75 sqrt(2).
        const auto d = centreOfMassDistance(rectMap(4, 4, {0, 0, 1, 1}), rectMap(4, 4, {3, 3, 1, 1}));
        QVERIFY(d.has_value());
        QVERIFY(near(*d, 0.75 * std::sqrt(2.0)));
        QVERIFY(near(centreDistance({0.1, 0.2}, {0.4, 0.6}), 0.5));
    }

    void legacySeedCentreIsCentreTimesMean() {
        // Uniform ones: mean 1, so it coincides with the centre of mass.
        const cv::Point2d u = legacySeedCentre(cv::Mat(4, 4, CV_32FC1, cv::Scalar(1.0)));
        QVERIFY(near(u.x, 0.5) && near(u.y, 0.5));
        // One hot pixel of 1 at (3,1) on 4x4: centre (7/8, 3/8), mean 1/16: the legacy value is pulled
        // towards the corner, which is why it is not a centre of mass.
        const cv::Point2d p = legacySeedCentre(rectMap(4, 4, {3, 1, 1, 1}));
        QVERIFY(near(p.x, 7.0 / 8 / 16));
        QVERIFY(near(p.y, 3.0 / 8 / 16));
        QVERIFY(near(legacySeedCentre(cv::Mat::zeros(3, 3, CV_32FC1)).x, 0.0));
    }

    // --- binarisation -----------------------------------------------------------------------------
    void levelKeepsPixelsAtOrAboveTau() {
        cv::Mat map = (cv::Mat_<float>(1, 5) << 0.0f, 0.49f, 0.5f, 0.51f, 1.0f);
        const cv::Mat region = binarise(map);  // default: level 0.5
        QCOMPARE(region.type(), CV_8UC1);
        const cv::Mat expected = (cv::Mat_<uchar>(1, 5) << 0, 0, 255, 255, 255);
        QCOMPARE(cv::countNonZero(region != expected), 0);
        QCOMPARE(cv::countNonZero(binarise(map, Binarisation::atLevel(0.9))), 1);
        QCOMPARE(describe(Binarisation{}), std::string("level 0.5"));
    }

    void topPercentPicksExactlyTheCount() {
        // 7x3 = 21 pixels: round(10% * 21) = round(2.1) = 2; round(50% * 21) = round(10.5) = 11.
        cv::Mat map(3, 7, CV_32FC1);
        cv::randu(map, 0.0, 1.0);
        QCOMPARE(cv::countNonZero(binarise(map, Binarisation::top(10))), 2);
        QCOMPARE(cv::countNonZero(binarise(map, Binarisation::top(50))), 11);
        QCOMPARE(cv::countNonZero(binarise(map, Binarisation::top(0))), 0);
        QCOMPARE(cv::countNonZero(binarise(map, Binarisation::top(100))), 21);
        // Every chosen pixel is at least as salient as every other.
        const cv::Mat region = binarise(map, Binarisation::top(37));
        QCOMPARE(cv::countNonZero(region), 8);  // round(7.77)
        double lowestIn = 0, highestOut = 0;
        cv::minMaxLoc(map, &lowestIn, nullptr, nullptr, nullptr, region);
        cv::minMaxLoc(map, nullptr, &highestOut, nullptr, nullptr, region == 0);
        QVERIFY(lowestIn >= highestOut);
        QCOMPARE(describe(Binarisation::top(10)), std::string("top 10%"));
    }

    void topPercentBreaksTiesByIndex() {
        // A flat 10x10 map: 25% = 25 pixels, the first 25 in row-major order.
        const cv::Mat region = binarise(cv::Mat(10, 10, CV_32FC1, cv::Scalar(0.5)), Binarisation::top(25));
        QCOMPARE(cv::countNonZero(region), 25);
        QCOMPARE(cv::countNonZero(region(cv::Rect(0, 0, 10, 2))), 20);
        QCOMPARE(cv::countNonZero(region(cv::Rect(0, 2, 5, 1))), 5);
        QCOMPARE(cv::countNonZero(region(cv::Rect(5, 2, 5, 8))), 0);
        // One strict maximum plus ties: the maximum first, then the earliest ties.
        cv::Mat map(2, 4, CV_32FC1, cv::Scalar(0.2));
        map.at<float>(1, 3) = 0.9f;
        const cv::Mat two = binarise(map, Binarisation::top(25));  // 2 of 8
        QCOMPARE(two.at<uchar>(1, 3), uchar(255));
        QCOMPARE(two.at<uchar>(0, 0), uchar(255));
        QCOMPARE(cv::countNonZero(two), 2);
    }

    void otsuSeparatesABimodalMap() {
        // Background in [0.05, 0.25], a foreground rectangle in [0.75, 0.95].
        cv::Mat map(32, 32, CV_32FC1);
        cv::RNG rng(7);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x)
                map.at<float>(y, x) = static_cast<float>(rng.uniform(0.05, 0.25));
        const cv::Rect fg(8, 10, 12, 9);
        for (int y = fg.y; y < fg.y + fg.height; ++y)
            for (int x = fg.x; x < fg.x + fg.width; ++x)
                map.at<float>(y, x) = static_cast<float>(rng.uniform(0.75, 0.95));
        const cv::Mat region = binarise(map, Binarisation::otsu());
        QCOMPARE(cv::countNonZero(region != rectMask(32, 32, fg)), 0);
        const int t = otsuThreshold(map);
        QVERIFY(t >= std::lround(0.25 * 255) && t < std::lround(0.75 * 255));
        // A flat map has nothing to separate.
        QCOMPARE(otsuThreshold(cv::Mat(4, 4, CV_32FC1, cv::Scalar(0.6))), -1);
        QCOMPARE(cv::countNonZero(binarise(cv::Mat(4, 4, CV_32FC1, cv::Scalar(0.6)), Binarisation::otsu())),
                 0);
        QCOMPARE(describe(Binarisation::otsu()), std::string("Otsu"));
    }

    // --- IoU -------------------------------------------------------------------------------------------
    void iouOfIdenticalMapsIsOne() {
        const cv::Mat map = addBlob(cv::Mat::zeros(20, 20, CV_32FC1), 9, 9, 5);
        QCOMPARE(*mapIoU(map, map), 1.0);
        QCOMPARE(*mapIoU(map, map, Binarisation::top(10)), 1.0);
        QCOMPARE(*mapIoU(map, map, Binarisation::otsu()), 1.0);
    }

    void iouOfDisjointMapsIsZero() {
        QCOMPARE(*mapIoU(rectMap(10, 10, {0, 0, 3, 3}), rectMap(10, 10, {5, 5, 3, 3})), 0.0);
    }

    void iouOfHalfOverlappingRectangles() {
        // A = 8x4 at x 0..7, B = 8x4 at x 4..11: intersection 4x4 = 16, union 48 -> 1/3.
        const cv::Mat a = rectMap(12, 4, {0, 0, 8, 4}, 0.8f), b = rectMap(12, 4, {4, 0, 8, 4}, 0.6f);
        QVERIFY(near(*mapIoU(a, b), 1.0 / 3.0));
        const Overlap o = maskOverlap(rectMask(12, 4, {0, 0, 8, 4}), rectMask(12, 4, {4, 0, 8, 4}));
        QCOMPARE(o.intersection, std::int64_t(16));
        QCOMPARE(o.unionArea, std::int64_t(48));
        // At level 0.7 only A survives: 0 / 32.
        QCOMPARE(*mapIoU(a, b, Binarisation::atLevel(0.7)), 0.0);
    }

    void iouOfTwoEmptyRegionsIsUndefined() {
        const cv::Mat zero = cv::Mat::zeros(6, 6, CV_32FC1);
        QVERIFY(!mapIoU(zero, zero).has_value());
        QVERIFY(!mapIoU(rectMap(6, 6, {0, 0, 2, 2}, 0.3f), zero).has_value());  // 0.3 < 0.5: empty too
        QVERIFY(!maskIoU(cv::Mat::zeros(3, 3, CV_8UC1), cv::Mat::zeros(3, 3, CV_8UC1)).has_value());
    }

    // --- against a ground-truth mask -------------------------------------------------------------------
    void maskIsResizedByNearestWithPixelCentres() {
        const cv::Mat small = (cv::Mat_<uchar>(2, 2) << 0, 1, 0, 0);
        const cv::Mat big = maskAtSize(small, {4, 4});
        QCOMPARE(cv::countNonZero(big != rectMask(4, 4, {2, 0, 2, 2})), 0);
        // Down-sampling 4x4 -> 2x2 picks source pixels 0*2+1 = 1 and 3 (centres).
        const cv::Mat down = maskAtSize(rectMask(4, 4, {1, 1, 1, 1}), {2, 2});
        QCOMPARE(down.at<uchar>(0, 0), uchar(255));
        QCOMPARE(cv::countNonZero(down), 1);
        // 6 -> 4 columns picks floor((i + 0.5) * 1.5) = 0, 2, 3, 5; same size is the identity.
        const cv::Mat row = (cv::Mat_<uchar>(1, 6) << 9, 0, 9, 9, 0, 9);
        QCOMPARE(cv::countNonZero(maskAtSize(row, {4, 1})), 4);
        QCOMPARE(cv::countNonZero(maskAtSize(row, {6, 1}) != (row != 0)), 0);
    }

    void iouWithAMaskOfAnotherSize() {
        // Map 20x20 hot on x 0..9 (all rows); mask 10x10 marks x 0..4 rows 0..4 -> at 20x20 x 0..9, y 0..9.
        const auto iou = iouWithMask(rectMap(20, 20, {0, 0, 10, 20}), rectMask(10, 10, {0, 0, 5, 5}));
        QVERIFY(iou.has_value());
        QVERIFY(near(*iou, 100.0 / 200.0));
        QVERIFY(!iouWithMask(cv::Mat::zeros(5, 5, CV_32FC1), cv::Mat::zeros(5, 5, CV_8UC1)).has_value());
    }

    void pointingGameHitAndMiss() {
        cv::Mat map = addBlob(cv::Mat::zeros(40, 40, CV_32FC1), 10, 10, 3);
        // Peak (10,10) inside the mask.
        auto r = pointingGame(map, rectMask(40, 40, {8, 8, 5, 5}));
        QVERIFY(r.has_value());
        QCOMPARE(r->peak, cv::Point(10, 10));
        QVERIFY(r->hit);
        QCOMPARE(r->distance, 0.0);
        // Mask starting at x = 20 on the same row: 10 px away. Miss without tolerance, hit with 15 px.
        const cv::Mat far = rectMask(40, 40, {20, 5, 6, 10});
        r = pointingGame(map, far);
        QVERIFY(r.has_value() && !r->hit);
        QCOMPARE(r->distance, 10.0);
        QVERIFY(pointingGame(map, far, {15.0})->hit);
        QVERIFY(pointingGame(map, far, {10.0})->hit);
        QVERIFY(!pointingGame(map, far, {9.9})->hit);
        // Diagonal: mask pixel (13,14) is 5 px from (10,10).
        QCOMPARE(pointingGame(map, rectMask(40, 40, {13, 14, 4, 4}))->distance, 5.0);
        // The mask may have another size: 20x20 mask, rect 4..6 -> 8..13 at 40x40.
        QVERIFY(pointingGame(map, rectMask(20, 20, {4, 4, 3, 3}))->hit);
    }

    void pointingGameTiesAndUndefined() {
        cv::Mat map = cv::Mat::zeros(5, 5, CV_32FC1);
        map.at<float>(3, 1) = 1.0f;  // (x 1, y 3)
        map.at<float>(1, 4) = 1.0f;  // (x 4, y 1): earlier in row-major order
        const auto r = pointingGame(map, rectMask(5, 5, {4, 1, 1, 1}));
        QVERIFY(r.has_value());
        QCOMPARE(r->peak, cv::Point(4, 1));
        QVERIFY(r->hit);
        QVERIFY(!pointingGame(map, cv::Mat::zeros(5, 5, CV_8UC1)).has_value());  // empty mask
        QVERIFY(!pointingGame(cv::Mat::zeros(5, 5, CV_32FC1), rectMask(5, 5, {0, 0, 2, 2}))
                     .has_value());  // flat map
    }

    void energyInsideMaskIsTheKnownFraction() {
        // 8x8: left half 1, right half 0.5 -> total 32 + 16 = 48; mask = left half -> 32/48.
        cv::Mat map(8, 8, CV_32FC1, cv::Scalar(0.5));
        map(cv::Rect(0, 0, 4, 8)).setTo(1.0f);
        QVERIFY(near(*energyInsideMask(map, rectMask(8, 8, {0, 0, 4, 8})), 2.0 / 3.0));
        QVERIFY(near(*energyInsideMask(map, rectMask(2, 2, {0, 0, 1, 2})), 2.0 / 3.0));  // another size
        QVERIFY(near(*energyInsideMask(map, cv::Mat::zeros(8, 8, CV_8UC1)), 0.0));
        QVERIFY(!energyInsideMask(cv::Mat::zeros(8, 8, CV_32FC1), rectMask(8, 8, {0, 0, 4, 8})).has_value());
    }

    // --- faithfulness ----------------------------------------------------------------------------------
    void deletionCurveMatchesHandComputation() {
        // 4x4 white image; the map orders pixels row-major (strictly decreasing); 4 steps remove
        // 0, 4, 8, 12, 16 pixels. Score = brightness of rows 1..2 (pixels 4..11):
        // 1, 1, 0.5, 0, 0 -> AUC = 0.25 * ((1+1) + (1+0.5) + (0.5+0) + 0) / 2 = 0.5.
        const cv::Mat image(4, 4, CV_8UC3, cv::Scalar::all(255));
        cv::Mat map(4, 4, CV_32FC1);
        for (int k = 0; k < 16; ++k)
            map.at<float>(k / 4, k % 4) = static_cast<float>(16 - k) / 16.0f;
        int calls = 0;
        const ClassScore score = [&calls](const std::vector<cv::Mat>& images) {
            ++calls;
            return meanOfMiddleRows(images);
        };
        FaithfulnessOptions options;
        options.steps = 4;
        const FaithfulnessCurve curve = deletionCurve(image, map, score, options);
        QCOMPARE(calls, 1);  // all steps in one call
        const std::vector<double> fractions{0, 0.25, 0.5, 0.75, 1}, scores{1, 1, 0.5, 0, 0};
        QCOMPARE(curve.fractions, fractions);
        QCOMPARE(curve.scores.size(), scores.size());
        for (std::size_t k = 0; k < scores.size(); ++k)
            QVERIFY(near(curve.scores[k], scores[k]));
        for (std::size_t k = 1; k < scores.size(); ++k)
            QVERIFY(curve.scores[k] <= curve.scores[k - 1]);
        QVERIFY(near(curve.auc, 0.5));

        // A flat map orders pixels row-major too (stable ties): the same curve. Batches of 2: 3 calls.
        calls = 0;
        options.batchSize = 2;
        const FaithfulnessCurve flat =
            deletionCurve(image, cv::Mat(4, 4, CV_32FC1, cv::Scalar(0.5)), score, options);
        QCOMPARE(calls, 3);
        for (std::size_t k = 0; k < scores.size(); ++k)
            QVERIFY(near(flat.scores[k], scores[k]));
        QVERIFY(near(flat.auc, 0.5));
    }

    void insertionCurveRises() {
        // Same setup, revealing on a black canvas: 0, 0, 0.5, 1, 1 -> AUC = 0.25 * (0 + 0.5 + 1.5 + 2) / 2 =
        // 0.5.
        const cv::Mat image(4, 4, CV_32FC3, cv::Scalar::all(1.0));
        cv::Mat map(4, 4, CV_32FC1);
        for (int k = 0; k < 16; ++k)
            map.at<float>(k / 4, k % 4) = static_cast<float>(16 - k) / 16.0f;
        FaithfulnessOptions options;
        options.steps = 4;
        options.insertionBaseline = FaithfulnessBaseline::Zero;
        const FaithfulnessCurve curve = insertionCurve(image, map, meanOfMiddleRows, options);
        const std::vector<double> scores{0, 0, 0.5, 1, 1};
        for (std::size_t k = 0; k < scores.size(); ++k)
            QVERIFY(near(curve.scores[k], scores[k]));
        QVERIFY(near(curve.auc, 0.5));

        // Ranking the middle rows first: 0, 0.5, 1, 1, 1 -> AUC = 0.25 * (0.5 + 1.5 + 2 + 2) / 2 = 0.75.
        cv::Mat good = cv::Mat::zeros(4, 4, CV_32FC1);
        good(cv::Rect(0, 1, 4, 2)).setTo(1.0f);
        QVERIFY(near(insertionCurve(image, good, meanOfMiddleRows, options).auc, 0.75));
        QVERIFY(near(deletionCurve(image, good, meanOfMiddleRows, options).auc, 0.25));
    }

    void insertionFromBlurEndsAtTheOriginal() {
        // A bright square on black; default insertion baseline = blur. Score = mean brightness.
        cv::Mat image = cv::Mat::zeros(40, 40, CV_8UC3);
        image(cv::Rect(10, 10, 10, 10)).setTo(cv::Scalar::all(255));
        const cv::Mat map = rectMap(40, 40, {10, 10, 10, 10});
        const ClassScore brightness = [](const std::vector<cv::Mat>& images) {
            std::vector<double> s;
            for (const auto& im : images)
                s.push_back(cv::mean(im)[0] / 255.0);
            return s;
        };
        const cv::Mat blurred = faithfulnessBaseline(image, FaithfulnessBaseline::Blur);
        QVERIFY(cv::norm(blurred, image, cv::NORM_INF) > 0);
        const FaithfulnessCurve curve = insertionCurve(image, map, brightness);
        QCOMPARE(curve.scores.size(), std::size_t(21));
        QVERIFY(near(curve.scores.front(), brightness({blurred})[0]));
        QVERIFY(near(curve.scores.back(), brightness({image})[0]));
        QVERIFY(curve.scores.back() > curve.scores.front());
    }

    void trapezoidAreaRule() {
        QVERIFY(near(metrics::trapezoidArea({0, 0.5, 1}, {0, 1, 0}), 0.5));
        QVERIFY(near(metrics::trapezoidArea({0, 1}, {0.2, 0.2}), 0.2));
    }

    // --- summaries -------------------------------------------------------------------------------------
    void summaryLeavesUndefinedOut() {
        const Summary s =
            summarise(std::vector<std::optional<double>>{1.0, std::nullopt, 2.0, 3.0, std::nullopt, 4.0});
        QCOMPARE(s.n, std::size_t(4));
        QCOMPARE(s.nUndefined, std::size_t(2));
        QVERIFY(near(*s.mean, 2.5));
        QVERIFY(near(*s.stdDev, std::sqrt(5.0 / 3.0)));  // squares of deviations 2.25+0.25+0.25+2.25 = 5, / 3
        QCOMPARE(*s.min, 1.0);
        QCOMPARE(*s.max, 4.0);

        const Summary one = summarise(std::vector<double>{0.7});
        QCOMPARE(one.n, std::size_t(1));
        QVERIFY(near(*one.mean, 0.7));
        QVERIFY(!one.stdDev.has_value());

        const Summary none = summarise(std::vector<std::optional<double>>{std::nullopt});
        QCOMPARE(none.n, std::size_t(0));
        QCOMPARE(none.nUndefined, std::size_t(1));
        QVERIFY(!none.mean && !none.stdDev && !none.min && !none.max);
    }

    void pairwiseTableOverImages() {
        // 10x10 maps. Image 0: a = x 0..3, b = x 2..5, c = x 6..9 (all rows).
        //   IoU a-b = 20/60, a-c = 0, b-c = 0; centres x = 0.2, 0.4, 0.8 (y 0.5): distances 0.2, 0.6, 0.4.
        // Image 1: a = b = x 0..3, c = zero map.
        //   IoU a-b = 1, a-c = 0, b-c = 0; distance a-b = 0, a-c and b-c undefined.
        // Image 2: only a (does not count for any pair).
        std::vector<NamedMaps> images(3);
        images[0] = {{"b", rectMap(10, 10, {2, 0, 4, 10})},
                     {"a", rectMap(10, 10, {0, 0, 4, 10})},
                     {"c", rectMap(10, 10, {6, 0, 4, 10})}};
        images[1] = {{"a", rectMap(10, 10, {0, 0, 4, 10})},
                     {"b", rectMap(10, 10, {0, 0, 4, 10})},
                     {"c", cv::Mat::zeros(10, 10, CV_32FC1)}};
        images[2] = {{"a", rectMap(10, 10, {0, 0, 1, 1})}};
        const std::vector<PairAgreement> table = pairwiseAgreement(images);
        QCOMPARE(table.size(), std::size_t(3));
        QCOMPARE(table[0].first + table[0].second, std::string("ab"));
        QCOMPARE(table[1].first + table[1].second, std::string("ac"));
        QCOMPARE(table[2].first + table[2].second, std::string("bc"));

        QCOMPARE(table[0].iou.n, std::size_t(2));
        QVERIFY(near(*table[0].iou.mean, (1.0 / 3.0 + 1.0) / 2));
        QVERIFY(near(*table[0].iou.stdDev, (1.0 - 1.0 / 3.0) / std::sqrt(2.0)));
        QVERIFY(near(*table[0].centreDistance.mean, 0.1));
        QCOMPARE(table[0].centreDistance.n, std::size_t(2));

        QVERIFY(near(*table[1].iou.mean, 0.0));
        QCOMPARE(table[1].iou.n, std::size_t(2));
        QCOMPARE(table[1].centreDistance.n, std::size_t(1));
        QCOMPARE(table[1].centreDistance.nUndefined, std::size_t(1));
        QVERIFY(near(*table[1].centreDistance.mean, 0.6));

        QVERIFY(near(*table[2].iou.mean, 0.0));
        QVERIFY(near(*table[2].centreDistance.mean, 0.4));
        QCOMPARE(table[2].centreDistance.nUndefined, std::size_t(1));

        // Both regions empty: the IoU is counted as undefined.
        const std::vector<NamedMaps> empty{
            {{"x", cv::Mat::zeros(4, 4, CV_32FC1)}, {"y", cv::Mat::zeros(4, 4, CV_32FC1)}}};
        const auto row = pairwiseAgreement(empty).at(0);
        QCOMPARE(row.iou.n, std::size_t(0));
        QCOMPARE(row.iou.nUndefined, std::size_t(1));
        QCOMPARE(row.centreDistance.nUndefined, std::size_t(1));
    }

    // --- proportions -----------------------------------------------------------------------------------
    void normalQuantileKnownValues() {
        QVERIFY(near(normalQuantile(0.975), 1.959963984540054, 1e-12));
        QVERIFY(near(normalQuantile(0.995), 2.5758293035489, 1e-12));
        QVERIFY(near(normalQuantile(0.5), 0.0, 1e-15));
        QVERIFY(near(normalQuantile(0.05), -1.6448536269514715, 1e-12));
    }

    void wilsonIntervalKnownValues() {
        // 8/10 at 95%: [0.490, 0.943] (Wilson 1927; e.g. R's prop.test(8, 10, correct = FALSE)).
        const auto eight = wilsonInterval(8, 10);
        QVERIFY(eight.has_value());
        QVERIFY(near(eight->estimate, 0.8));
        QVERIFY(near(eight->low, 0.49016247153664183, 1e-12));
        QVERIFY(near(eight->high, 0.9433178485456247, 1e-12));
        QCOMPARE(eight->successes, std::size_t(8));
        QCOMPARE(eight->trials, std::size_t(10));
        // Newcombe (1998), Statist. Med. 17:857, table I, method 3 (score interval, no correction).
        auto check = [](std::size_t k, std::size_t n, double low, double high) {
            const auto ci = wilsonInterval(k, n);
            QVERIFY(ci.has_value());
            QVERIFY2(near(ci->low, low, 5e-5) && near(ci->high, high, 5e-5),
                     qPrintable(QString("%1/%2: [%3, %4]").arg(k).arg(n).arg(ci->low).arg(ci->high)));
        };
        check(81, 263, 0.2553, 0.3662);
        check(15, 148, 0.0624, 0.1605);
        check(1, 29, 0.0061, 0.1718);
        // Another level: 99% is wider, z = 2.576.
        const auto wide = wilsonInterval(8, 10, 0.99);
        QVERIFY(near(wide->low, 0.4008186965216717, 1e-12));
        QVERIFY(near(wide->high, 0.9598688474953835, 1e-12));
    }

    void wilsonIntervalEdgeCases() {
        // 0/n: the lower bound is exactly 0, the upper one is not (unlike the Wald interval's [0,0]).
        const auto none = wilsonInterval(0, 20);
        QCOMPARE(none->estimate, 0.0);
        QCOMPARE(none->low, 0.0);
        QVERIFY(near(none->high, 0.1611, 5e-5));
        // n/n: the mirror image.
        const auto all = wilsonInterval(10, 10);
        QCOMPARE(all->estimate, 1.0);
        QCOMPARE(all->high, 1.0);
        QVERIFY(near(all->low, 0.7224672001371109, 1e-12));
        const auto one = wilsonInterval(1, 1);
        QVERIFY(near(one->low, 0.20654931437723745, 1e-12));
        QCOMPARE(one->high, 1.0);
        // n = 0: no proportion at all.
        QVERIFY(!wilsonInterval(0, 0).has_value());
        // Large n: narrow and ordered.
        const auto big = wilsonInterval(452, 483);
        QVERIFY(big->low < big->estimate && big->estimate < big->high);
        QVERIFY(near(big->low, 0.9103390788793398, 1e-12));
        QVERIFY(near(big->high, 0.9544188261269716, 1e-12));
        expectError([] { wilsonInterval(11, 10); }, "11 successes out of 10 trials");
        expectError([] { wilsonInterval(1, 10, 1.0); }, "confidence level");
        expectError([] { wilsonInterval(1, 10, 0.0); }, "confidence level");
        expectError([] { normalQuantile(1.0); }, "strictly between 0 and 1");
    }

    // --- Cohen's kappa ----------------------------------------------------------------------------------
    void kappaOfTheTextbookTwoByTwo() {
        // 50 items; rater A: 25 yes, 25 no; rater B: 30 yes, 20 no; they agree on 20 + 15.
        //   p_o = 35/50 = 0.7; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
        // Fleiss-Cohen-Everitt variance with p = [[.4, .1], [.2, .3]], 1 - kappa = 0.6:
        //   diagonal: .4 (1 - 1.1 * .6)^2 + .3 (1 - .9 * .6)^2 = .04624 + .06348 = .10972
        //   off-diagonal: .36 (.1 (.6 + .5)^2 + .2 (.4 + .5)^2) = .36 * .283 = .10188
        //   last: (.4 - .5 * .6)^2 = .01
        //   var = (.10972 + .10188 - .01) / (.25 * 50) = .016128, SE = 0.1269961
        const auto k = cohenKappa({{20, 5}, {10, 15}});
        QVERIFY(k.has_value());
        QCOMPARE(k->n, std::size_t(50));
        QCOMPARE(k->agreed, std::size_t(35));
        QVERIFY(near(k->observed, 0.7, 1e-15));
        QVERIFY(near(k->expected, 0.5, 1e-15));
        QVERIFY(near(k->kappa, 0.4, 1e-15));
        QVERIFY(near(k->standardError * k->standardError, 0.016128, 1e-15));
        // kappa -+ 1.959964 SE
        QVERIFY(near(k->low, 0.15109229047666106, 1e-12));
        QVERIFY(near(k->high, 0.6489077095233388, 1e-12));
    }

    void kappaOverThreeCategoriesMatchesPythonArithmetic() {
        // References from /usr/bin/python3 with plain arithmetic (no sklearn or statsmodels here): the
        // Fleiss-Cohen-Everitt formula, and independently the delta method (a numerical gradient of
        // kappa over the cell proportions, Var = (sum g^2 p - (sum g p)^2) / n), which agrees to 1e-10.
        struct Case {
            AgreementTable table;
            double observed, expected, kappa, se;
        };
        const std::vector<Case> cases = {
            // Fleiss, Levin & Paik's three diagnoses, n = 100: kappa = 0.23 / 0.34
            {{{75, 1, 4}, {5, 4, 1}, {0, 0, 10}}, 0.89, 0.66, 0.67647058823529405, 0.087702953475212536},
            // p_o = 21/30, p_e = (14*14 + 11*9 + 5*7) / 900 = 330/900; kappa = 10/19
            {{{11, 2, 1}, {3, 6, 2}, {0, 1, 4}},
             0.7,
             0.3666666666666667,
             0.52631578947368407,
             0.13005119779387225},
        };
        for (const auto& c : cases) {
            const auto k = cohenKappa(c.table);
            QVERIFY(k.has_value());
            QVERIFY(near(k->observed, c.observed, 1e-14));
            QVERIFY(near(k->expected, c.expected, 1e-14));
            QVERIFY(near(k->kappa, c.kappa, 1e-14));
            QVERIFY2(near(k->standardError, c.se, 1e-12),
                     qPrintable(QString::number(k->standardError, 'g', 17)));
        }
        // The same from paired ratings (0 correct, 1 incorrect, 2 unsure).
        std::vector<std::pair<std::size_t, std::size_t>> ratings;
        const AgreementTable& table = cases[1].table;
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t j = 0; j < 3; ++j)
                ratings.insert(ratings.end(), table[i][j], {i, j});
        QCOMPARE(agreementTable(ratings, 3), table);
        QVERIFY(near(cohenKappa(agreementTable(ratings, 3))->kappa, 10.0 / 19.0, 1e-14));
    }

    void kappaAtItsLimitsAndUndefined() {
        // Perfect agreement: kappa 1 with no spread; perfect disagreement over two equal halves: -1.
        const auto all = cohenKappa({{6, 0, 0}, {0, 3, 0}, {0, 0, 1}});
        QCOMPARE(all->kappa, 1.0);
        QCOMPARE(all->standardError, 0.0);
        QCOMPARE(all->low, 1.0);
        const auto none = cohenKappa({{0, 5}, {5, 0}});
        QVERIFY(near(none->kappa, -1.0, 1e-15));
        QVERIFY(near(none->standardError, 0.0, 1e-7));
        QCOMPARE(none->observed, 0.0);
        // Agreement no better than chance: independent raters, kappa 0.
        QVERIFY(near(cohenKappa({{4, 4}, {4, 4}})->kappa, 0.0, 1e-15));
        // Undefined: nothing rated, or both gave every item the same verdict (p_e = 1).
        QVERIFY(!cohenKappa({{0, 0}, {0, 0}}).has_value());
        QVERIFY(!cohenKappa({{0, 0, 0}, {0, 7, 0}, {0, 0, 0}}).has_value());
        // One rater all "correct", the other not: defined (p_e < 1), kappa 0.
        const auto one = cohenKappa({{7, 3}, {0, 0}});
        QVERIFY(one.has_value());
        QVERIFY(near(one->kappa, 0.0, 1e-15));
        // The interval stays in [-1, 1] however few the items.
        // ({{2, 1}, {0, 1}}: kappa 0.5, SE 0.375, so kappa + 1.96 SE = 1.235 is clipped.)
        const auto few = cohenKappa({{2, 1}, {0, 1}});
        QVERIFY(near(few->kappa, 0.5, 1e-15));
        QVERIFY(near(few->standardError, 0.375, 1e-15));
        QVERIFY(near(few->low, 0.5 - 1.959963984540054 * 0.375, 1e-12));
        QCOMPARE(few->high, 1.0);
        expectError([] { cohenKappa({{1, 2}, {3}}); }, "not square");
        expectError([] { cohenKappa({}); }, "no categories");
        expectError([] { cohenKappa({{1}}, 1.0); }, "confidence level");
        expectError([] { agreementTable({{0, 3}}, 3); }, "outside the 3 categories");
    }

    // --- bad input -------------------------------------------------------------------------------------
    void badInputIsAClearError() {
        const cv::Mat map = rectMap(8, 8, {0, 0, 4, 4});
        expectError([] { centreOfMass(cv::Mat()); }, "empty");
        expectError([] { centreOfMass(cv::Mat::zeros(4, 4, CV_8UC1)); }, "CV_32FC1");
        expectError([] { binarise(cv::Mat::zeros(4, 4, CV_64FC1)); }, "got CV_64FC1");
        expectError([] { centreOfMass(cv::Mat(2, 2, CV_32FC1, cv::Scalar(-0.5))); }, "negative");
        expectError([] { binarise(cv::Mat(2, 2, CV_32FC1, cv::Scalar(std::nan("")))); }, "non-finite");
        expectError([&] { mapIoU(map, rectMap(6, 8, {0, 0, 2, 2})); }, "sizes differ (8x8 vs 6x8)");
        expectError(
            [&] {
                maskIoU(rectMask(4, 4, {0, 0, 1, 1}), rectMask(5, 4, {0, 0, 1, 1}));
            },
            "sizes differ");
        expectError([&] { energyInsideMask(map, cv::Mat::zeros(8, 8, CV_32FC1)); }, "CV_8UC1");
        expectError([&] { pointingGame(map, cv::Mat()); }, "mask is empty");
        expectError([&] { pointingGame(map, rectMask(8, 8, {0, 0, 1, 1}), {-1.0}); }, "radius");
        expectError([&] { binarise(map, Binarisation::top(150)); }, "[0, 100]");

        const cv::Mat image(8, 8, CV_8UC3, cv::Scalar::all(100));
        const ClassScore ok = [](const std::vector<cv::Mat>& images) {
            return std::vector<double>(images.size(), 0.5);
        };
        const ClassScore short1 = [](const std::vector<cv::Mat>&) { return std::vector<double>{0.5}; };
        expectError([&] { deletionCurve(cv::Mat(8, 8, CV_8UC1), map, ok); }, "CV_8UC3 or CV_32FC3");
        expectError([&] { deletionCurve(image, rectMap(4, 4, {0, 0, 1, 1}), ok); }, "sizes differ");
        expectError([&] { insertionCurve(image, map, short1); }, "returned 1 scores for 21 images");
        expectError([&] { insertionCurve(image, map, ClassScore{}); }, "no scoring callback");
        expectError([&] { deletionCurve(image, map, ok, {0}); }, "steps");

        std::vector<NamedMaps> mixed{{{"resnet50", map}, {"vgg16", rectMap(4, 4, {0, 0, 1, 1})}}};
        expectError([&] { pairwiseAgreement(mixed); }, "image 0, resnet50 vs vgg16");
    }

    // Fleiss' kappa on the worked example of Fleiss (1971) as Wikipedia tabulates it: 10 subjects,
    // 14 raters, 5 categories; P = 0.378, P_e = 0.213, kappa = 0.210 (0.2099307 by NumPy).
    void fleissKappaOnThePublishedExample() {
        const metrics::CategoryCounts counts = {
            {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
            {7, 7, 0, 0, 0},  {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}};
        const auto kappa = metrics::fleissKappa(counts);
        QVERIFY(kappa.has_value());
        QVERIFY(std::abs(kappa->value - 0.2099307044) < 1e-9);
        QCOMPARE(kappa->units, std::size_t(10));
        QCOMPARE(kappa->values, std::size_t(140));
        QVERIFY(kappa->low < kappa->value && kappa->value < kappa->high);
        const auto again = metrics::fleissKappa(counts);  // the same seed: the same interval
        QCOMPARE(again->low, kappa->low);
        QCOMPARE(again->high, kappa->high);
        // Unequal numbers of raters per unit are Krippendorff's case, not Fleiss'.
        QVERIFY_THROWS_EXCEPTION(Error, metrics::fleissKappa({{2, 1}, {1, 1}}));
        QVERIFY(!metrics::fleissKappa({{3, 0}, {3, 0}}).has_value());  // one category: chance is certain
    }

    // Krippendorff's alpha on his own example (Krippendorff 2011, "Computing Krippendorff's
    // alpha-reliability", section C): 4 observers, 12 units, values 1-5 with missing judgements;
    // nominal alpha = 0.743 (0.7434211 by NumPy). Unit 12 has one value and is left out.
    void krippendorffAlphaOnThePublishedExample() {
        const metrics::CategoryCounts counts = {{3, 0, 0, 0, 0}, {0, 3, 1, 0, 0}, {0, 0, 4, 0, 0},
                                                {0, 0, 4, 0, 0}, {0, 4, 0, 0, 0}, {1, 1, 1, 1, 0},
                                                {0, 0, 0, 4, 0}, {3, 1, 0, 0, 0}, {0, 4, 0, 0, 0},
                                                {0, 0, 0, 0, 3}, {2, 0, 0, 0, 0}, {0, 0, 1, 0, 0}};
        const auto alpha = metrics::krippendorffAlphaNominal(counts);
        QVERIFY(alpha.has_value());
        QVERIFY(std::abs(alpha->value - 0.7434210526) < 1e-9);
        QCOMPARE(alpha->units, std::size_t(11));
        QCOMPARE(alpha->values, std::size_t(40));
        QVERIFY(alpha->low <= alpha->value && alpha->value <= alpha->high && alpha->high <= 1.0);
        // Perfect agreement on two categories: alpha = 1.
        QCOMPARE(metrics::krippendorffAlphaNominal({{2, 0}, {0, 3}, {4, 0}})->value, 1.0);
        QVERIFY(!metrics::krippendorffAlphaNominal({{1, 0}, {0, 1}}).has_value());  // nothing pairable
    }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "test_metrics.moc"
