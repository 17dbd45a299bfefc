// Records addressed by a small integer that stays valid while the record lives: freed slots are
// reused, so a long run allocates no more than its peak occupancy.
#pragma once

#include <vector>

namespace strata::hbm {

template <class T>
class SlotPool {
 public:
  /// A slot holding `value`.
  int acquire(const T& value) {
    int i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
      items_[size_t(i)] = value;
    } else {
      i = int(items_.size());
      items_.push_back(value);
    }
    return i;
  }
  void release(int i) { free_.push_back(i); }
  T& operator[](int i) { return items_[size_t(i)]; }
  const T& operator[](int i) const { return items_[size_t(i)]; }

 private:
  std::vector<T> items_;
  std::vector<int> free_;
};

}  // namespace strata::hbm
