#include "core/ordered_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace kz {

namespace {

// A transform whose duration varies with the item, so that with several workers later items
// often finish before earlier ones: the consumer must still see them in input order.
std::string slow_square(const int& i) {
  if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200 + (i % 3) * 100));
  return std::to_string(i) + "^2=" + std::to_string(i * i);
}

}  // namespace

TEST(OrderedPipeline, HandsOverEveryResultInInputOrderWhateverTheWorkersAndRing) {
  for (size_t workers : {1, 2, 5}) {
    for (size_t capacity : {1, 2, 7, 64}) {
      constexpr int kItems = 500;
      OrderedPipeline<int, std::string> p(
          [](const auto& emit) {
            for (int i = 0; i < kItems; ++i) {
              if (!emit(int{i})) return;
            }
          },
          slow_square, workers, capacity);
      int expected = 0;
      while (auto r = p.next()) {
        ASSERT_EQ(r->first, expected) << workers << " workers, ring of " << capacity;
        EXPECT_EQ(r->second, slow_square(expected));
        ++expected;
      }
      EXPECT_EQ(expected, kItems) << workers << " workers, ring of " << capacity;
    }
  }
}

TEST(OrderedPipeline, AnEmptyInputEndsAtOnce) {
  OrderedPipeline<int, int> p([](const auto&) {}, [](const int& i) { return i; }, 2, 8);
  EXPECT_FALSE(p.next().has_value());
  EXPECT_FALSE(p.next().has_value());
}

// The consumer gives up (the store failed): the producer learns it from emit() and stops instead
// of reading the rest of its input; nothing more is handed out.
TEST(OrderedPipeline, CancelStopsTheProducerEarly) {
  std::atomic<int> emitted{0};
  std::atomic<bool> refused{false};
  {
    OrderedPipeline<int, int> p(
        [&](const auto& emit) {
          for (int i = 0; i < 1'000'000; ++i) {
            if (!emit(int{i})) {
              refused = true;
              return;
            }
            ++emitted;
          }
        },
        [](const int& i) { return i * 2; }, 2, 16);
    for (int i = 0; i < 10; ++i) {
      auto r = p.next();
      ASSERT_TRUE(r.has_value());
      EXPECT_EQ(r->second, i * 2);
    }
    p.cancel();
    EXPECT_FALSE(p.next().has_value());
  }  // joins every thread
  EXPECT_TRUE(refused.load());
  EXPECT_LT(emitted.load(), 10 + 16 + 1);  // at most the ring's worth beyond what was taken
}

// Leaving the scope without draining (an early return) joins cleanly.
TEST(OrderedPipeline, DestroyedBeforeDrainedJoinsItsThreads) {
  OrderedPipeline<int, int> p(
      [](const auto& emit) {
        for (int i = 0; i < 100'000; ++i) {
          if (!emit(int{i})) return;
        }
      },
      [](const int& i) { return i; }, 3, 4);
  ASSERT_TRUE(p.next().has_value());
}

}  // namespace kz
