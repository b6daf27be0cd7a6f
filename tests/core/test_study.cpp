#include <QtTest/QtTest>

class TestStudy : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void placeholder() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TestStudy)
#include "test_study.moc"
