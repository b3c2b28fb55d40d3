/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/alloc/numa.h
 * @brief `NumaNode`: a NUMA node id checked against `MAX_NUMNODES`.
 *
 * Wraps the node ids of `include/linux/numa.h`. An allocation can be placed
 * on a given node, or anywhere (`NumaNode::any()`, the kernel's
 * `NUMA_NO_NODE`). Constructing a node id checks it against the configured
 * kernel's `MAX_NUMNODES`; whether the node is online is a separate,
 * run-time question (`is_online()`).
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::NumaNode node = KCPP_TRY(kcpp::NumaNode::make(0));
 * KCPP_ASSERT_EQ(node.id(), 0);
 * KCPP_ASSERT(node.is_online());
 * KCPP_ASSERT_EQ(kcpp::NumaNode::make(-7).error(), kcpp::code::EINVAL);
 * KCPP_ASSERT_EQ(kcpp::NumaNode::any().id(), -1);
 * @endcode
 */
#ifndef KCPP_ALLOC_NUMA_H
#define KCPP_ALLOC_NUMA_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>

namespace kcpp {

/**
 * @brief A NUMA node id, or "any node".
 *
 * @par Invariants
 * The id is `NUMA_NO_NODE` or in `[0, MAX_NUMNODES)`.
 */
class NumaNode {
 public:
  /** @brief The node with id @p id; `EINVAL` unless `0 <= id < MAX_NUMNODES`. */
  [[nodiscard]] static constexpr Result<NumaNode> make(int id) {
    if (id < 0 || id >= KCPP_MAX_NUMNODES)
      return code::EINVAL;
    return NumaNode(id);
  }
  /** @brief No preference: the kernel picks (`NUMA_NO_NODE`). */
  [[nodiscard]] static constexpr NumaNode any() { return NumaNode(KCPP_NUMA_NO_NODE); }
  /** @brief The raw id, `NUMA_NO_NODE` for any(). */
  [[nodiscard]] constexpr int id() const { return id_; }
  /** @brief Whether this is any() rather than a specific node. */
  [[nodiscard]] constexpr bool is_any() const { return id_ == KCPP_NUMA_NO_NODE; }
  /** @brief Whether the node exists and is online now (false for any()). */
  [[nodiscard]] bool is_online() const { return kcpp_node_online(id_); }
  /** @brief Nodes compare by id. */
  friend constexpr bool operator==(NumaNode, NumaNode) = default;

 private:
  constexpr explicit NumaNode(int id) : id_(id) {}
  int id_;
};

}  // namespace kcpp

#endif  // KCPP_ALLOC_NUMA_H
