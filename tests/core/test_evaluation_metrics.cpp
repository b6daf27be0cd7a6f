// The field's evaluation metrics beyond the seed's (issue 18; docs/saliency.md "Evaluation
// metrics"): complexity (sparseness, effective complexity), localisation (relevance mass and
// rank accuracy, top-k intersection, hit rate over a threshold sweep), faithfulness correlation and
// max-/average sensitivity, ROAD's noisy linear imputation and curves. Each is
// compared with an independent NumPy implementation written here and run with /usr/bin/python3 on the same
// fixed inputs, and with hand-computed values.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>

#include "common/Error.h"
#include "metrics/Complexity.h"
#include "metrics/FaithfulnessCorrelation.h"
#include "metrics/Localisation.h"
#include "metrics/Road.h"
#include "metrics/Sensitivity.h"

using namespace saliency;
using namespace saliency::metrics;

namespace {

// The fixed inputs, built the same way in C++ and in the NumPy reference: a 13 x 17 map with many
// ties, ((7 y + 3 x) mod 11) / 10 as float32, and a mask on rows 3..8, columns 4..9.
constexpr int kH = 13, kW = 17;

cv::Mat fixedMap() {
    cv::Mat m(kH, kW, CV_32FC1);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x)
            m.at<float>(y, x) = static_cast<float>(((7 * y + 3 * x) % 11) / 10.0);
    return m;
}

cv::Mat fixedMask() {
    cv::Mat m = cv::Mat::zeros(kH, kW, CV_8UC1);
    m(cv::Range(3, 9), cv::Range(4, 10)).setTo(255);
    return m;
}

const char* kReference = R"(
import json, numpy as np
H, W = 13, 17
y, x = np.mgrid[0:H, 0:W]
a = (((7 * y + 3 * x) % 11) / 10.0).astype(np.float32)
m = np.zeros((H, W), bool); m[3:9, 4:10] = True
r = np.sort(np.abs(a.astype(np.float64)).ravel()); n = r.size
gini = np.sum((2 * np.arange(1, n + 1) - n - 1) * r) / (n * np.sum(r))   # Quantus Sparseness, no +1e-7
ec = float(np.mean(np.abs(a) > 1e-5))
order = np.argsort(-a.ravel(), kind='stable')                            # ties: earlier pixel first
K = int(m.sum())
rra = float(m.ravel()[order[:K]].sum() / K)
tki = {k: float(m.ravel()[order[:k]].sum() / k) for k in (1, 20, 100)}
rma = float(a.astype(np.float64)[m].sum() / a.astype(np.float64).sum())
def iou(region):
    inter = np.logical_and(region, m).sum(); union = np.logical_or(region, m).sum()
    return None if union == 0 else float(inter / union)
levels = {str(l): iou(a.astype(np.float64) >= l / 10.0) for l in range(1, 10)}  # binarise compares in double
tops = {}
for q in (5, 10, 20, 30):
    k = int(np.floor(q / 100.0 * a.size + 0.5))
    region = np.zeros(a.size, bool); region[order[:k]] = True
    tops[str(q)] = iou(region.reshape(H, W))
print(json.dumps({"gini": gini, "ec": ec, "rra": rra, "tki": tki, "rma": rma, "levels": levels, "tops": tops}))
)";

QJsonObject numpyReference() {
    QProcess p;
    p.start("/usr/bin/python3", {"-c", kReference});
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        return {};
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

// ROAD's imputation, written again in NumPy: the 8-neighbour system (1/6 direct, 1/12 diagonal,
// neighbours outside the image left out) assembled densely and solved by np.linalg.solve, for a
// 9 x 11 three-channel image with a fixed set of removed pixels (a block, a border run, a corner).
const char* kImputationReference = R"(
import json, numpy as np
H, W = 9, 11
y, x = np.mgrid[0:H, 0:W]
img = np.stack([np.sin(0.5 * x + 0.3 * y), np.cos(0.2 * x * y / 7.0), (x + 2 * y) / 30.0], axis=-1)
removed = np.zeros((H, W), bool)
removed[2:6, 3:8] = True; removed[0, 0:4] = True; removed[8, 10] = True; removed[7, 9] = True
idx = -np.ones((H, W), int); pix = np.argwhere(removed)
for k, (a, b) in enumerate(pix): idx[a, b] = k
n = len(pix); A = np.zeros((n, n)); B = np.zeros((n, 3))
nb = [(-1,-1,1/12),(-1,0,1/6),(-1,1,1/12),(0,-1,1/6),(0,1,1/6),(1,-1,1/12),(1,0,1/6),(1,1,1/12)]
for k, (a, b) in enumerate(pix):
    for dy, dx, w in nb:
        c, d = a + dy, b + dx
        if 0 <= c < H and 0 <= d < W:
            A[k, k] += w
            if removed[c, d]: A[k, idx[c, d]] -= w
            else: B[k] += w * img[c, d]
out = img.copy(); out[removed] = np.linalg.solve(A, B)
print(json.dumps(out.ravel().tolist()))
)";

cv::Mat imputationImage() {
    cv::Mat image(9, 11, CV_32FC3);
    for (int y = 0; y < 9; ++y)
        for (int x = 0; x < 11; ++x)
            image.at<cv::Vec3f>(y, x) = {static_cast<float>(std::sin(0.5 * x + 0.3 * y)),
                                         static_cast<float>(std::cos(0.2 * x * y / 7.0)),
                                         static_cast<float>((x + 2 * y) / 30.0)};
    return image;
}

cv::Mat imputationRemoved() {
    cv::Mat removed = cv::Mat::zeros(9, 11, CV_8UC1);
    removed(cv::Range(2, 6), cv::Range(3, 8)).setTo(255);
    removed(cv::Range(0, 1), cv::Range(0, 4)).setTo(255);
    removed.at<uchar>(8, 10) = 255;
    removed.at<uchar>(7, 9) = 255;
    return removed;
}

bool near(double a, double b, double tol = 1e-12) {
    return std::abs(a - b) <= tol;
}

}  // namespace

class TestEvaluationMetrics : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void complexityByHand() {
        // One pixel holds everything: G = (n - 1) / n; uniform: 0; [1, 2, 3, 4]: sum (2i - 5) a_i = 10,
        // n sum = 40 -> 0.25.
        cv::Mat one = cv::Mat::zeros(4, 5, CV_32FC1);
        one.at<float>(2, 3) = 0.7f;
        QVERIFY(near(*sparseness(one), 19.0 / 20.0));
        QVERIFY(near(*sparseness(cv::Mat(4, 5, CV_32FC1, cv::Scalar(0.3))), 0.0));
        QVERIFY(near(*sparseness((cv::Mat_<float>(1, 4) << 4, -1, 3, 2)), 0.25));  // |R|: the sign drops
        QVERIFY(!sparseness(cv::Mat::zeros(3, 3, CV_32FC1)).has_value());
        // Three channels count as values (a gradient): |(1,0,0)| over 2 pixels -> one of 6 values.
        cv::Mat gradient = cv::Mat::zeros(1, 2, CV_32FC3);
        gradient.at<cv::Vec3f>(0, 1) = {-1.f, 0.f, 0.f};
        QVERIFY(near(*sparseness(gradient), 5.0 / 6.0));
        QVERIFY(near(effectiveComplexity(gradient), 1.0 / 6.0));
        QVERIFY(near(effectiveComplexity(one), 1.0 / 20.0));
        QVERIFY(near(effectiveComplexity(one, 0.8), 0.0));
        cv::Mat bad = one.clone();
        bad.at<float>(0, 0) = NAN;
        QVERIFY_THROWS_EXCEPTION(Error, sparseness(bad));
        QVERIFY_THROWS_EXCEPTION(Error, effectiveComplexity(cv::Mat::zeros(2, 2, CV_8UC1)));
    }

    void localisationByHand() {
        // A 4 x 4 map ranking the mask's two pixels first and third: rank accuracy 1/2 (K = 2),
        // top-1 1, top-3 2/3; mass 0.9 + 0.5 of 0.9 + 0.7 + 0.5 + 0.1 * 13.
        cv::Mat map(4, 4, CV_32FC1, cv::Scalar(0.1));
        map.at<float>(0, 0) = 0.9f;
        map.at<float>(3, 3) = 0.7f;
        map.at<float>(1, 2) = 0.5f;
        cv::Mat mask = cv::Mat::zeros(4, 4, CV_8UC1);
        mask.at<unsigned char>(0, 0) = 1;
        mask.at<unsigned char>(1, 2) = 1;
        QVERIFY(near(*relevanceRankAccuracy(map, mask), 0.5));
        QVERIFY(near(topKIntersection(map, mask, 1), 1.0));
        QVERIFY(near(topKIntersection(map, mask, 3), 2.0 / 3.0));
        QVERIFY(near(topKIntersection(map, mask, 1000), 2.0 / 16.0));  // k clamped to the 16 pixels
        QVERIFY(near(*relevanceMassAccuracy(map, mask), 1.4 / (2.1 + 1.3), 1e-6));
        QVERIFY(!relevanceRankAccuracy(map, cv::Mat::zeros(4, 4, CV_8UC1)).has_value());
        QVERIFY_THROWS_EXCEPTION(Error, topKIntersection(map, mask, 0));
        // Ties: the earlier pixel in row-major order ranks first.
        const cv::Mat flat(2, 3, CV_32FC1, cv::Scalar(0.5));
        const cv::Mat top = topPixels(flat, 2);
        QCOMPARE(top.at<unsigned char>(0, 0), 255);
        QCOMPARE(top.at<unsigned char>(0, 1), 255);
        QCOMPARE(cv::countNonZero(top), 2);
        // The mask may come at another size (nearest neighbour, as the other mask metrics).
        cv::Mat big = cv::Mat::zeros(8, 8, CV_8UC1);
        big(cv::Rect(0, 0, 2, 2)).setTo(255);
        big(cv::Rect(4, 2, 2, 2)).setTo(255);
        QVERIFY(near(*relevanceRankAccuracy(map, big), 0.5));
    }

    void matchesNumPyOnFixedInputs() {
        const QJsonObject ref = numpyReference();
        QVERIFY2(!ref.isEmpty(), "the NumPy reference did not run (/usr/bin/python3 with numpy)");
        const cv::Mat map = fixedMap(), mask = fixedMask();
        QVERIFY2(
            near(*sparseness(map), ref["gini"].toDouble()),
            qPrintable(QString("%1 vs %2").arg(*sparseness(map), 0, 'g', 17).arg(ref["gini"].toDouble())));
        QVERIFY(near(effectiveComplexity(map), ref["ec"].toDouble()));
        QVERIFY(near(*relevanceRankAccuracy(map, mask), ref["rra"].toDouble()));
        QVERIFY(near(*relevanceMassAccuracy(map, mask), ref["rma"].toDouble(), 1e-9));
        for (const int k : {1, 20, 100})
            QVERIFY2(
                near(topKIntersection(map, mask, k), ref["tki"].toObject()[QString::number(k)].toDouble()),
                qPrintable(QString::number(k)));

        // The sweep: Otsu, the levels 0.1 .. 0.9, the top 5/10/20/30 %; IoU per threshold as NumPy's.
        const auto hits = thresholdHits(map, mask);
        QCOMPARE(hits.size(), std::size_t(1 + 9 + 4));
        QCOMPARE(QString::fromStdString(hits[0].threshold), QString("Otsu"));
        for (int l = 1; l <= 9; ++l) {
            const auto& h = hits[static_cast<std::size_t>(l)];
            const QJsonValue expected = ref["levels"].toObject()[QString::number(l)];
            QVERIFY2(h.iou && near(*h.iou, expected.toDouble()), h.threshold.c_str());
            QCOMPARE(h.hit, *h.iou >= 0.5);
        }
        const int percents[] = {5, 10, 20, 30};
        for (int i = 0; i < 4; ++i) {
            const auto& h = hits[static_cast<std::size_t>(10 + i)];
            QVERIFY2(h.iou && near(*h.iou, ref["tops"].toObject()[QString::number(percents[i])].toDouble()),
                     h.threshold.c_str());
        }
    }

    void hitRateCurveOverMaps() {
        // Two maps: one exactly the mask (IoU 1 at every level), one zero (no region: IoU 0 with a
        // non-empty mask). Hit rate 1/2 at every level; a threshold with no defined IoU is NaN.
        const cv::Mat mask = fixedMask();
        cv::Mat exact;
        mask.convertTo(exact, CV_32F, 1.0 / 255);
        const std::vector<Binarisation> sweep = {Binarisation::atLevel(0.5), Binarisation::atLevel(0.9)};
        const auto rates = hitRates({thresholdHits(exact, mask, sweep),
                                     thresholdHits(cv::Mat::zeros(kH, kW, CV_32FC1), mask, sweep)});
        QCOMPARE(rates.size(), std::size_t(2));
        QVERIFY(near(rates[0], 0.5));
        QVERIFY(near(rates[1], 0.5));
        const cv::Mat none = cv::Mat::zeros(kH, kW, CV_8UC1);
        const auto undefined = hitRates({thresholdHits(cv::Mat::zeros(kH, kW, CV_32FC1), none, sweep)});
        QVERIFY(std::isnan(undefined[0]));
    }

    // A linear "network", score = sum_p w_p sum_c x_pc: removing a subset S to black drops the score by
    // sum_S w_p sum_c x_pc exactly, which is the relevance of gradient x input. Its faithfulness
    // correlation is 1 (the identity Bhatt et al. build the metric on), its negation's -1.
    void faithfulnessCorrelationOfALinearModel() {
        cv::Mat image(kH, kW, CV_32FC3), weights(kH, kW, CV_32FC1);
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x) {
                image.at<cv::Vec3f>(y, x) = {0.1f + 0.05f * static_cast<float>(x % 7),
                                             0.2f + 0.03f * static_cast<float>(y % 5), 0.3f};
                weights.at<float>(y, x) = static_cast<float>(std::sin(0.7 * x + 1.3 * y));
            }
        const ClassScore linear = [&weights](const std::vector<cv::Mat>& images) {
            std::vector<double> out;
            for (const auto& im : images) {
                double s = 0;
                for (int y = 0; y < im.rows; ++y)
                    for (int x = 0; x < im.cols; ++x) {
                        const cv::Vec3f v = im.at<cv::Vec3f>(y, x);
                        s += static_cast<double>(weights.at<float>(y, x)) *
                             (static_cast<double>(v[0]) + v[1] + v[2]);
                    }
                out.push_back(s);
            }
            return out;
        };
        cv::Mat gradientTimesInput(kH, kW, CV_32FC1);
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x) {
                const cv::Vec3f v = image.at<cv::Vec3f>(y, x);
                gradientTimesInput.at<float>(y, x) = weights.at<float>(y, x) * (v[0] + v[1] + v[2]);
            }
        FaithfulnessCorrelationOptions options;
        options.runs = 30;
        options.subsetSize = 20;
        options.batchSize = 7;
        const auto faithful = faithfulnessCorrelation(image, gradientTimesInput, linear, options);
        QCOMPARE(faithful.relevance.size(), std::size_t(30));
        for (std::size_t i = 0; i < faithful.relevance.size(); ++i)
            QVERIFY(near(faithful.relevance[i], faithful.scoreDrop[i], 1e-4));
        QVERIFY(near(*faithful.correlation, 1.0, 1e-6));
        const auto reversed = faithfulnessCorrelation(image, -gradientTimesInput, linear, options);
        QVERIFY(near(*reversed.correlation, -1.0, 1e-6));
        // The same seed gives the same subsets; a constant map has no correlation.
        QCOMPARE(faithfulnessCorrelation(image, gradientTimesInput, linear, options).scoreDrop,
                 faithful.scoreDrop);
        QVERIFY(!faithfulnessCorrelation(image, cv::Mat(kH, kW, CV_32FC1, cv::Scalar(0.5)), linear, options)
                     .correlation.has_value());
        // Pearson by hand: deviations (-1.5, -0.5, 0.5, 1.5) and (-3, -1, 0, 4): 11 / sqrt(5 * 26).
        QVERIFY(near(*pearsonCorrelation({1, 2, 3, 4}, {2, 4, 5, 9}), 11.0 / std::sqrt(130.0)));
        const ClassScore wrong = [](const std::vector<cv::Mat>&) { return std::vector<double>{1.0}; };
        QVERIFY_THROWS_EXCEPTION(Error, faithfulnessCorrelation(image, gradientTimesInput, wrong, options));
        options.runs = 1;
        QVERIFY_THROWS_EXCEPTION(Error, faithfulnessCorrelation(image, gradientTimesInput, linear, options));
    }

    // Max- and average sensitivity by their identities: a map that ignores the input has 0; the
    // normalised form does not change when the map is scaled; for the map "sum of the channels" every
    // s_i is ||sum_c d_c|| / ||sum_c x_c|| <= 3 r sqrt(N) / ||sum_c x_c||, and some noise is seen.
    void sensitivityIdentities() {
        cv::Mat image(kH, kW, CV_32FC3);
        cv::randu(image, 0.2, 0.8);
        const auto channelSum = [](double scale) {
            return [scale](const cv::Mat& x) {
                std::vector<cv::Mat> planes;
                cv::split(x, planes);
                cv::Mat sum = planes[0] + planes[1] + planes[2];
                return cv::Mat(sum * scale);
            };
        };
        SensitivityOptions options;
        options.samples = 8;
        options.radius = 0.02;
        const auto s = sensitivity(image, channelSum(1.0), options);
        QCOMPARE(s.perSample.size(), std::size_t(8));
        std::vector<cv::Mat> planes;
        cv::split(image, planes);
        const double base = cv::norm(planes[0] + planes[1] + planes[2], cv::NORM_L2);
        const double bound = 3 * 0.02 * std::sqrt(double(kH * kW)) / base;
        double sum = 0;
        for (const double v : s.perSample) {
            QVERIFY(v > 0 && v <= bound);
            sum += v;
        }
        QVERIFY(near(*s.average, sum / 8));
        QCOMPARE(*s.maximum, *std::max_element(s.perSample.begin(), s.perSample.end()));
        const auto scaled = sensitivity(image, channelSum(7.0), options);  // same seed, same noise
        for (std::size_t i = 0; i < s.perSample.size(); ++i)
            QVERIFY(near(scaled.perSample[i], s.perSample[i], 1e-6));
        const cv::Mat fixed(5, 5, CV_32FC1, cv::Scalar(0.3));
        QCOMPARE(*sensitivity(
                      image, [&fixed](const cv::Mat&) { return fixed; }, options)
                      .maximum,
                 0.0);
        QVERIFY(!sensitivity(
                     image, [](const cv::Mat&) { return cv::Mat(cv::Mat::zeros(4, 4, CV_32FC1)); }, options)
                     .maximum.has_value());
        // 8-bit images: the noise is 0.02 x 255 and rounded; still bounded the same way.
        cv::Mat bytes;
        image.convertTo(bytes, CV_8UC3, 255);
        QVERIFY(*sensitivity(
                     bytes,
                     [](const cv::Mat& x) {
                         cv::Mat f;
                         x.convertTo(f, CV_32FC3);
                         return f;
                     },
                     options)
                     .maximum > 0);
        options.radius = 0;
        QVERIFY_THROWS_EXCEPTION(Error, sensitivity(image, channelSum(1.0), options));
    }

    // The imputation equals a dense NumPy solve of the same system (the float image is the only
    // rounding: 1e-6); kept pixels are untouched; with noise, the removed pixels move by about the
    // noise's standard deviation and nothing else moves.
    void noisyLinearImputationMatchesNumPy() {
        QProcess p;
        p.start("/usr/bin/python3", {"-c", kImputationReference});
        QVERIFY2(p.waitForFinished(120000) && p.exitCode() == 0, "the NumPy reference did not run");
        const QJsonArray expected = QJsonDocument::fromJson(p.readAllStandardOutput()).array();
        const cv::Mat image = imputationImage(), removed = imputationRemoved();
        const cv::Mat imputed = noisyLinearImputation(image, removed, 0.0);
        QCOMPARE(expected.size(), qsizetype(9 * 11 * 3));
        for (int i = 0; i < 9 * 11 * 3; ++i) {
            const float got = imputed.ptr<float>()[i];
            QVERIFY2(near(got, expected[i].toDouble(), 1e-6),
                     qPrintable(QString("value %1: %2 vs %3").arg(i).arg(got).arg(expected[i].toDouble())));
        }
        const cv::Mat noisy = noisyLinearImputation(image, removed, 0.01, 7);
        double squares = 0;
        for (int y = 0; y < 9; ++y)
            for (int x = 0; x < 11; ++x) {
                const cv::Vec3f d = noisy.at<cv::Vec3f>(y, x) - imputed.at<cv::Vec3f>(y, x);
                if (removed.at<uchar>(y, x) == 0)
                    QCOMPARE(noisy.at<cv::Vec3f>(y, x), image.at<cv::Vec3f>(y, x));
                else
                    squares += d.dot(d);
            }
        const double rms = std::sqrt(squares / (3.0 * cv::countNonZero(removed)));
        QVERIFY2(rms > 0.005 && rms < 0.02, qPrintable(QString::number(rms)));
        // Everything removed: nothing to impute from; a wrong mask type is refused.
        const cv::Mat all(9, 11, CV_8UC1, cv::Scalar(1));
        QCOMPARE(cv::countNonZero(noisyLinearImputation(image, all, 0.0).reshape(1)), 0);
        QVERIFY_THROWS_EXCEPTION(Error, noisyLinearImputation(image, cv::Mat(9, 11, CV_32FC1), 0.0));
    }

    // ROAD by hand: a grey image with a bright 3 x 3 square, the score its brightest pixel. A map that
    // ranks the square first removes it at the first fraction (10 % of 99 pixels = 10 > 9): the
    // imputation from grey neighbours is grey, so MoRF scores the grey level throughout; LeRF keeps
    // the square to the last fraction (90 % = 89 <= 90 non-square pixels). The reversed map swaps them.
    void roadCurvesByHand() {
        cv::Mat image(9, 11, CV_32FC3, cv::Scalar::all(0.2));
        cv::Mat square = cv::Mat::zeros(9, 11, CV_32FC1);
        image(cv::Range(3, 6), cv::Range(4, 7)).setTo(cv::Scalar::all(0.9));
        square(cv::Range(3, 6), cv::Range(4, 7)).setTo(1.0);
        const ClassScore brightest = [](const std::vector<cv::Mat>& images) {
            std::vector<double> out;
            for (const auto& im : images) {
                double top = 0;
                cv::minMaxLoc(im.reshape(1), nullptr, &top);
                out.push_back(top);
            }
            return out;
        };
        RoadOptions options;
        options.noise = 0;
        options.batchSize = 4;
        const RoadCurve morf = roadCurve(image, square, brightest, RoadOrder::MostRelevantFirst, options);
        const RoadCurve lerf = roadCurve(image, square, brightest, RoadOrder::LeastRelevantFirst, options);
        QCOMPARE(morf.scores.size(), std::size_t(9));
        for (std::size_t i = 0; i < 9; ++i) {
            QVERIFY2(near(morf.scores[i], 0.2, 1e-6), qPrintable(QString::number(morf.scores[i])));
            QVERIFY(near(lerf.scores[i], 0.9, 1e-6));
        }
        QVERIFY(near(morf.mean, 0.2, 1e-6) && near(lerf.mean, 0.9, 1e-6));
        const cv::Mat reversed = 1.0 - square;
        QVERIFY(near(roadCurve(image, reversed, brightest, RoadOrder::MostRelevantFirst, options).mean, 0.9,
                     1e-6));
        // 8-bit images too, and the seed makes the noise repeatable.
        cv::Mat bytes;
        image.convertTo(bytes, CV_8UC3, 255);
        RoadOptions noisy;
        noisy.seed = 3;
        const auto a = roadCurve(bytes, square, brightest, RoadOrder::MostRelevantFirst, noisy);
        QCOMPARE(roadCurve(bytes, square, brightest, RoadOrder::MostRelevantFirst, noisy).scores, a.scores);
        QVERIFY(a.scores.front() < 0.9 * 255);
        options.fractions = {1.0};
        QVERIFY_THROWS_EXCEPTION(Error,
                                 roadCurve(image, square, brightest, RoadOrder::MostRelevantFirst, options));
    }
};

QTEST_APPLESS_MAIN(TestEvaluationMetrics)
#include "test_evaluation_metrics.moc"
