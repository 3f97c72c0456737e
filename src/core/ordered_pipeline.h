// OrderedPipeline: a producer thread, N worker threads applying a pure transform, and one
// consumer (the caller) that receives the results in the order the producer emitted them.
//
// Used by intake so that reading and parsing run ahead of the single store writer: the writer's
// waits for the disk (fsync at each WAL checkpoint) no longer stall parsing, even when every
// thread shares one core. Order matters there (which message opens a report and which joins
// it), so results are handed over strictly in input order whatever the number of workers.
//
// Bounded: at most `capacity` items are in flight; the producer blocks when the consumer falls
// behind. The consumer can cancel() at any time (say, the store failed): emit() then returns
// false so the producer can stop early, and the workers finish the item in hand and exit.
// The destructor cancels and joins every thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace kz {

template <class In, class Out>
class OrderedPipeline {
 public:
  // `emit` hands one item to the pipeline; it returns false once the consumer has cancelled.
  using Emit = std::function<bool(In&&)>;
  using Produce = std::function<void(const Emit& emit)>;
  using Transform = std::function<Out(const In&)>;

  // Starts the producer and `workers` (at least 1) transform threads at once.
  OrderedPipeline(Produce produce, Transform transform, size_t workers, size_t capacity)
      : transform_(std::move(transform)), slots_(capacity < 1 ? 1 : capacity) {
    for (size_t i = 0; i < (workers < 1 ? 1 : workers); ++i)
      workers_.emplace_back([this] { work(); });
    producer_ = std::thread([this, produce = std::move(produce)] {
      produce([this](In&& in) { return push(std::move(in)); });
      {
        std::lock_guard lock(mu_);
        finished_ = true;
      }
      work_cv_.notify_all();
      ready_cv_.notify_all();
    });
  }

  ~OrderedPipeline() {
    cancel();
    if (producer_.joinable()) producer_.join();
    for (auto& w : workers_) w.join();
  }

  OrderedPipeline(const OrderedPipeline&) = delete;
  OrderedPipeline& operator=(const OrderedPipeline&) = delete;

  // The next item with its result, in input order; nullopt when the producer has finished and
  // everything was handed out, or after cancel(). Consumer thread only.
  std::optional<std::pair<In, Out>> next() {
    std::unique_lock lock(mu_);
    if (!cancelled_ && !slots_[head_ % slots_.size()].done) {
      consumer_waiting_ = true;
      ready_cv_.wait(lock,
                     [&] { return cancelled_ || (finished_ && head_ == tail_) || ready_batch(); });
      consumer_waiting_ = false;
    }
    Slot& s = slots_[head_ % slots_.size()];
    if (cancelled_ || !s.done) return std::nullopt;
    std::optional<std::pair<In, Out>> out{std::in_place, std::move(*s.in), std::move(*s.out)};
    s.in.reset();
    s.out.reset();
    s.done = false;
    ++head_;
    const bool wake = producer_waiting_ && tail_ - head_ <= slots_.size() / 2;
    lock.unlock();
    if (wake) space_cv_.notify_one();
    return out;
  }

  // Stops the producer (its emit() returns false) and the workers; next() returns nullopt.
  void cancel() {
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
    }
    space_cv_.notify_all();
    work_cv_.notify_all();
    ready_cv_.notify_all();
  }

 private:
  // Threads sharing one core trade it whenever one wakes another (the woken thread preempts the
  // waker). Waking the other side per item made them trade it twice per item (measured: 25,000
  // context switches for 20,000 mails, 15% more CPU time), so each side is woken for a batch:
  // the producer when half the ring is free, a worker when kWakeBatch items wait, the consumer
  // when kWakeBatch results are ready in order. Whatever completes the last items of a ring or
  // of the input always wakes the side that waits for them. Notifying after unlocking keeps the
  // woken thread from blocking at once on the mutex its waker still holds.
  static constexpr size_t kWakeBatch = 16;

  struct Slot {
    std::optional<In> in;
    std::optional<Out> out;
    bool done = false;
  };

  // The consumer has a batch to take: kWakeBatch results ready in order from the head, or every
  // item in flight ready. Under the lock.
  bool ready_batch() const {
    const size_t in_flight = tail_ - head_;
    const size_t want = in_flight < kWakeBatch ? in_flight : kWakeBatch;
    if (want == 0) return false;
    for (size_t i = 0; i < want; ++i) {
      if (!slots_[(head_ + i) % slots_.size()].done) return false;
    }
    return true;
  }

  bool push(In&& in) {
    std::unique_lock lock(mu_);
    if (tail_ - head_ == slots_.size()) {
      producer_waiting_ = true;
      space_cv_.wait(lock, [&] { return cancelled_ || tail_ - head_ <= slots_.size() / 2; });
      producer_waiting_ = false;
    }
    if (cancelled_) return false;
    slots_[tail_ % slots_.size()].in.emplace(std::move(in));
    ++tail_;
    const bool wake = workers_waiting_ > 0 &&
                      (tail_ - next_work_ >= kWakeBatch || tail_ - head_ == slots_.size());
    lock.unlock();
    if (wake) work_cv_.notify_one();
    return true;
  }

  void work() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (!cancelled_ && next_work_ == tail_ && !finished_) {
        ++workers_waiting_;
        work_cv_.wait(lock, [&] { return cancelled_ || next_work_ < tail_ || finished_; });
        --workers_waiting_;
      }
      if (cancelled_ || next_work_ == tail_) return;  // cancelled, or finished and all taken
      const size_t index = next_work_++;
      Slot& s = slots_[index % slots_.size()];
      lock.unlock();
      // The slot is this worker's alone until it is marked done: the producer cannot reuse it
      // (the consumer has not passed it) and the consumer waits for `done`.
      Out out = transform_(*s.in);
      lock.lock();
      s.out.emplace(std::move(out));
      s.done = true;
      if (consumer_waiting_ && ready_batch()) {
        lock.unlock();
        ready_cv_.notify_one();
        lock.lock();
      }
    }
  }

  Transform transform_;
  std::mutex mu_;
  std::condition_variable space_cv_;  // producer waits for a free slot
  std::condition_variable work_cv_;   // workers wait for an item
  std::condition_variable ready_cv_;  // consumer waits for the head item's result
  std::vector<Slot> slots_;           // ring: item i lives in slots_[i % size]
  size_t head_ = 0;                   // next to hand to the consumer
  size_t next_work_ = 0;              // next to transform
  size_t tail_ = 0;                   // next to be emitted
  bool producer_waiting_ = false;     // blocked on a full ring
  size_t workers_waiting_ = 0;        // blocked for want of items
  bool consumer_waiting_ = false;     // blocked for want of results
  bool finished_ = false;             // the producer has returned
  bool cancelled_ = false;
  std::vector<std::thread> workers_;
  std::thread producer_;
};

}  // namespace kz
