// SecureBuffer: locked memory that is zeroed, compared in constant time, and guarded.
#include "util/secure_buffer.h"

#include <QTest>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

using namespace nesa;

class TestSecureBuffer : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void allocatesZeroedMemory() {
    auto buffer = SecureBuffer::allocate(100);
    QVERIFY(buffer.ok());
    QCOMPARE(buffer->size(), std::size_t{100});
    QVERIFY(std::all_of(buffer->data(), buffer->data() + 100, [](auto b) { return b == 0; }));
  }

  void emptyBufferOwnsNothing() {
    auto buffer = SecureBuffer::allocate(0);
    QVERIFY(buffer.ok());
    QVERIFY(buffer->empty());
    QVERIFY(buffer->data() == nullptr);
  }

  void copiesText() {
    auto buffer = SecureBuffer::copyOf(std::string_view("hunter2"));
    QVERIFY(buffer.ok());
    QCOMPARE(QString::fromLatin1(buffer->view().data(), int(buffer->size())),
             QStringLiteral("hunter2"));
  }

  void randomBuffersDiffer() {
    auto a = SecureBuffer::random(32);
    auto b = SecureBuffer::random(32);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(!a->equals(*b));
    QVERIFY(std::any_of(a->data(), a->data() + 32, [](auto x) { return x != 0; }));
  }

  void equalsComparesSizeAndBytes() {
    auto a = SecureBuffer::copyOf(std::string_view("same secret"));
    auto b = SecureBuffer::copyOf(std::string_view("same secret"));
    auto c = SecureBuffer::copyOf(std::string_view("same secreT"));
    auto d = SecureBuffer::copyOf(std::string_view("same secre"));
    QVERIFY(a->equals(*b));
    QVERIFY(!a->equals(*c));
    QVERIFY(!a->equals(*d));
  }

  void wipeZeroesButKeepsSize() {
    auto buffer = SecureBuffer::copyOf(std::string_view("mnemonic words"));
    buffer->wipe();
    QCOMPARE(buffer->size(), std::size_t{14});
    QVERIFY(std::all_of(buffer->data(), buffer->data() + 14, [](auto b) { return b == 0; }));
  }

  void moveTransfersOwnership() {
    auto source = SecureBuffer::copyOf(std::string_view("key"));
    const std::uint8_t *bytes = source->data();
    SecureBuffer moved = std::move(source).value();
    QCOMPARE(moved.data(), bytes);
    SecureBuffer assigned;
    assigned = std::move(moved);
    QCOMPARE(assigned.data(), bytes);
    QVERIFY(moved.data() ==
            nullptr); // NOLINT(bugprone-use-after-move): checking the moved-from state
    QCOMPARE(moved.size(), std::size_t{0});
  }

  // sodium_malloc places the buffer right before a guard page: an overrun must fault, not
  // silently read or write a neighbour's memory. The overrun happens in a child process.
  void overrunHitsGuardPage() {
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) {
      auto buffer = SecureBuffer::allocate(64);
      volatile std::uint8_t *p = buffer->data();
      for (std::size_t i = 0; i < 64 + 4096 * 2; ++i)
        p[i] = 0xAA; // runs off the end into the guard page
      _exit(0);      // reaching this line means there was no guard page
    }
    int status = 0;
    QCOMPARE(waitpid(child, &status, 0), child);
    const bool exitedCleanly = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    QVERIFY2(!exitedCleanly, "writing past a SecureBuffer did not fault");
  }
};

QTEST_GUILESS_MAIN(TestSecureBuffer)
#include "tst_secure_buffer.moc"
