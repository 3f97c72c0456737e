#include "store/sqlite/checkpointer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/database.h"

namespace kz::store {

namespace {

namespace fs = std::filesystem;

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("kz_ckpt_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
  }
  void TearDown() override { remove_files(); }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  static uintmax_t size_of(const std::string& file) {
    std::error_code ec;
    const auto n = fs::file_size(file, ec);
    return ec ? 0 : n;
  }

  fs::path path_;
};

// Raw bytes of message i: 40 KB (three 16 KiB pages), different for every message.
std::string raw_bytes(int i) {
  return std::string(40'000, static_cast<char>('a' + i % 26)) + std::to_string(i);
}

}  // namespace

// A long run of commits, as in a bulk ingest, with the checkpoints on their own thread: the
// database file grows while the writer is still writing (the checkpoints happen during the run,
// not at close), the write-ahead log does not grow with the run (each checkpoint lets the next
// transaction start the log again from its beginning), and every message reads back after the
// store is reopened.
TEST_F(CheckpointerTest, ALongRunKeepsTheLogSmallAndLosesNothing) {
  constexpr int kMessages = 300;  // 12 MB of raw bytes, one transaction each
  SqliteOptions options;
  options.wal_checkpoint_pages = 16;  // 256 KiB
  {
    auto store = open_sqlite_store(path_.string(), options);
    ASSERT_TRUE(store) << store.error().to_string();
    uintmax_t largest_log = 0;
    for (int i = 0; i < kMessages; ++i) {
      ASSERT_TRUE((*store)->begin());
      MessageRecord m;
      m.sha256 = "sha-" + std::to_string(i);
      m.received_at = Time{std::chrono::seconds{1'200'000'000 + i}};
      ASSERT_TRUE((*store)->messages().add_message(m, raw_bytes(i)));
      ASSERT_TRUE((*store)->commit());
      largest_log = std::max(largest_log, size_of(path_.string() + "-wal"));
    }
    // Without restarts the log would hold every page written: at least 900 pages (14 MiB). With
    // them it stays near the checkpoint threshold; 4 MiB leaves room for a checkpoint thread
    // slowed by a loaded machine (2.07 MiB was seen under `./dev test`'s parallel tests).
    EXPECT_LT(largest_log, uintmax_t{4} << 20) << "the write-ahead log grew with the run";
    EXPECT_GT(size_of(path_.string()), uintmax_t{10} << 20)
        << "the pages reached the database file while the writer was still running";
  }
  auto reopened = open_sqlite_store(path_.string());
  ASSERT_TRUE(reopened) << reopened.error().to_string();
  for (int i = 0; i < kMessages; i += 7) {
    auto id = (*reopened)->messages().find_message("sha-" + std::to_string(i));
    ASSERT_TRUE(id && *id) << i;
    auto raw = (*reopened)->messages().message_raw(**id);
    ASSERT_TRUE(raw) << i;
    EXPECT_EQ(*raw, raw_bytes(i)) << i;
  }
}

}  // namespace kz::store
