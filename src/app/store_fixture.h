// The use-case tests' store: a fresh SQLite database in the temporary folder for each test,
// removed with its write-ahead files afterwards. A test class derives from StoreFixture and uses
// db_ (Database) and path_.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"

namespace kz::app {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("kz_app_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    auto db = store::open_store(path_.string());
    ASSERT_TRUE(db) << db.error().to_string();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }

  std::filesystem::path path_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace kz::app
