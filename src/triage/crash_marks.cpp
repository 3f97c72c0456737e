#include "triage/crash_marks.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace kz::triage {

namespace {

namespace fs = std::filesystem;

// The marks file: a header, then one slot per thread.
constexpr char kMagic[8] = {'K', 'Z', 'M', 'A', 'R', 'K', 'S', '1'};
constexpr int kSlots = 64;  // threads of one run that mark: the walk, parsers, the writer
enum State : char { kFree = 0, kBusy = 1, kAlone = 2, kCulprit = 3 };
struct Slot {
  volatile char state;
  char sha[64];
  char pad[7];
};
struct MarksFile {
  char magic[8];
  Slot slots[kSlots];
};

// The calling thread's slot in the current run's file (nullptr: none taken).
thread_local Slot* t_slot = nullptr;
thread_local uint64_t t_generation = 0;  // of the CrashMarks the slot belongs to
std::atomic<uint64_t> g_generation{0};

void on_fatal_signal(int sig) {
  // Async-signal-safe: one store into shared memory, then the default action kills the process
  // (SA_RESETHAND restored it).
  if (Slot* s = t_slot; s && (s->state == kBusy || s->state == kAlone)) s->state = kCulprit;
  // A signal sent with raise() or kill() does not come back by itself: send it again, now with
  // the default action.
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &sa, nullptr);
  });
}

// A stack of its own for the handler, so that a stack overflow is caught too. One per thread
// that marks, for the life of the thread.
void ensure_alternate_stack() {
  thread_local bool done = false;
  if (done) return;
  done = true;
  stack_t current{};
  if (sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return;
  constexpr size_t kSize = 64 * 1024;
  void* mem = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return;
  stack_t st{};
  st.ss_sp = mem;
  st.ss_size = kSize;
  sigaltstack(&st, nullptr);
}

std::string slot_sha(const Slot& s) { return std::string(s.sha, strnlen(s.sha, sizeof s.sha)); }

bool is_sha(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Held while the dead runs' marks files are taken (runs on this machine may start together).
class DirLock {
 public:
  explicit DirLock(const std::string& dir)
      : fd_(::open((dir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

constexpr const char* kPoisonedAlone =
    "stopped Kizuna (killed or out of memory) when read on its own in an earlier run";
constexpr const char* kPoisonedSignal =
    "crashed Kizuna (a fatal signal) while being read in an earlier run";
constexpr const char* kPoisonedTwice =
    "was being read each time Kizuna stopped, in two earlier runs";

}  // namespace

// The verdicts' text: "<sha> <strikes> <poisoned 0|1> <reason>" per line.
std::map<std::string, CrashMarks::Suspect> CrashMarks::parse_verdicts(std::string_view text) {
  std::map<std::string, Suspect> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string sha;
    Suspect s;
    int poisoned = 0;
    if (!(fields >> sha >> s.strikes >> poisoned) || !is_sha(sha)) continue;
    std::getline(fields >> std::ws, s.reason);
    s.poisoned = poisoned != 0;
    out[sha] = s;
  }
  return out;
}

std::string CrashMarks::format_verdicts(const std::map<std::string, Suspect>& verdicts) {
  std::string out;
  for (const auto& [sha, s] : verdicts) {
    out += sha + ' ' + std::to_string(s.strikes) + ' ' + (s.poisoned ? '1' : '0') + ' ' + s.reason +
           '\n';
  }
  return out;
}

Result<std::unique_ptr<CrashMarks>> CrashMarks::open(const std::string& dir,
                                                     VerdictLedger& ledger) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(Error::Io("cannot create the folder for crash marks: " + ec.message(), dir));
  std::unique_ptr<CrashMarks> marks(new CrashMarks(dir, ledger));
  if (auto s = marks->harvest(); !s) return fail(s.error());
  if (auto s = marks->map_own_file(); !s) return fail(s.error());
  install_signal_handlers();
  return marks;
}

Status CrashMarks::harvest() {
  // The folder lock keeps two runs on this machine from taking the same dead run's file.
  DirLock lock(dir_);
  if (!lock.ok()) return fail(Error::Io("cannot lock the crash marks folder", dir_));
  // Verdicts kept in the folder by a release before they moved to the database.
  const std::string legacy = dir_ + "/suspects";
  std::string legacy_text;
  std::vector<std::string> taken;  // removed once the ledger has what they say
  if (std::ifstream in(legacy); in) {
    std::stringstream old;
    old << in.rdbuf();
    legacy_text = old.str();
    taken.push_back(legacy);
  }
  std::vector<MarksFile> dead;  // the marks of runs that died
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path path = it->path();
    if (path.extension() != ".marks") continue;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    // A run still alive holds its file locked.
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      continue;
    }
    MarksFile file{};
    if (::pread(fd, &file, sizeof file, 0) == static_cast<ssize_t>(sizeof file) &&
        std::memcmp(file.magic, kMagic, sizeof kMagic) == 0) {
      dead.push_back(file);
    }
    ::close(fd);
    taken.push_back(path.string());
  }
  // Nothing to record (every run but a crashed one): the verdicts are only read, so a run does
  // not take the database's write turn for them.
  if (taken.empty()) {
    auto text = ledger_.read();
    if (!text) return fail(text.error());
    suspects_ = parse_verdicts(*text);
    return {};
  }
  Status updated = ledger_.update([&](std::string& text) {
    suspects_ = parse_verdicts(text);
    for (auto& [sha, s] : parse_verdicts(legacy_text)) suspects_.try_emplace(sha, s);
    for (const MarksFile& file : dead) {
      bool culprit = false;
      for (const Slot& s : file.slots) culprit = culprit || s.state == kCulprit;
      for (const Slot& slot : file.slots) {
        const std::string sha = slot_sha(slot);
        if (slot.state == kFree || !is_sha(sha)) continue;
        Suspect& s = suspects_[sha];
        ++s.strikes;
        if (slot.state == kCulprit) {
          s.poisoned = true;
          s.reason = kPoisonedSignal;
        } else if (slot.state == kAlone && !culprit) {
          s.poisoned = true;
          s.reason = kPoisonedAlone;
        } else if (s.strikes >= 2 && !s.poisoned) {
          s.poisoned = true;
          s.reason = kPoisonedTwice;
        }
      }
    }
    text = format_verdicts(suspects_);
  });
  if (!updated) return fail(updated.error());
  for (const auto& path : taken) ::unlink(path.c_str());
  return {};
}

Status CrashMarks::map_own_file() {
  static std::atomic<int> runs{0};  // several runs in one process (tests) each have a file
  own_path_ = dir_ + "/" + std::to_string(::getpid()) + "-" + std::to_string(runs++) + ".marks";
  own_fd_ = ::open(own_path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (own_fd_ < 0)
    return fail(Error::Io(std::string("cannot create the crash marks: ") + std::strerror(errno),
                          own_path_));
  if (::flock(own_fd_, LOCK_EX | LOCK_NB) != 0 || ::ftruncate(own_fd_, sizeof(MarksFile)) != 0) {
    return fail(Error::Io("cannot prepare the crash marks", own_path_));
  }
  map_ = mmap(nullptr, sizeof(MarksFile), PROT_READ | PROT_WRITE, MAP_SHARED, own_fd_, 0);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    return fail(Error::Io("cannot map the crash marks", own_path_));
  }
  std::memcpy(static_cast<MarksFile*>(map_)->magic, kMagic, sizeof kMagic);
  generation_ = ++g_generation;
  return {};
}

CrashMarks::~CrashMarks() {
  if (!finished_) (void)finish();
  // A thread that marked keeps a pointer into the mapping: forget it before unmapping.
  if (t_generation == generation_) t_slot = nullptr;
  if (map_) munmap(map_, sizeof(MarksFile));
  if (own_fd_ >= 0) ::close(own_fd_);
}

CrashMarks::Verdict CrashMarks::verdict(const std::string& sha256) const {
  const auto it = suspects_.find(sha256);
  if (it == suspects_.end()) return Verdict::kClean;
  return it->second.poisoned ? Verdict::kPoisoned : Verdict::kSuspect;
}

std::string CrashMarks::poison_reason(const std::string& sha256) const {
  const auto it = suspects_.find(sha256);
  return it == suspects_.end() ? std::string() : it->second.reason;
}

void CrashMarks::begin(const std::string& sha256, bool alone) {
  if (!map_) return;
  if (t_generation != generation_) {
    const int index = next_slot_.fetch_add(1, std::memory_order_relaxed);
    if (index >= kSlots) return;  // more threads than slots: these go unmarked
    t_slot = &static_cast<MarksFile*>(map_)->slots[index];
    t_generation = generation_;
    ensure_alternate_stack();
  }
  Slot* s = t_slot;
  s->state = kFree;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  std::memcpy(s->sha, sha256.data(), std::min(sha256.size(), sizeof s->sha));
  std::atomic_signal_fence(std::memory_order_seq_cst);
  s->state = alone ? kAlone : kBusy;
}

void CrashMarks::end() {
  if (t_generation == generation_ && t_slot) t_slot->state = kFree;
}

void CrashMarks::resolved(const std::string& sha256) {
  if (suspects_.find(sha256) == suspects_.end()) return;
  std::lock_guard lock(resolved_mu_);
  resolved_.insert(sha256);
}

Status CrashMarks::finish() {
  finished_ = true;
  Status result;
  if (!resolved_.empty()) {
    // Read afresh: another run (here or on another machine) may have added verdicts meanwhile.
    result = ledger_.update([&](std::string& text) {
      auto verdicts = parse_verdicts(text);
      for (const auto& sha : resolved_) verdicts.erase(sha);
      text = format_verdicts(verdicts);
    });
  }
  if (!own_path_.empty()) ::unlink(own_path_.c_str());
  return result;
}

}  // namespace kz::triage
