#include <QtTest/QtTest>

class TestStatisticsView : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void placeholder() { QVERIFY(true); }
};

QTEST_MAIN(TestStatisticsView)
#include "test_statistics_view.moc"
