// SPDX-License-Identifier: GPL-2.0
/*
 * nova-drm's driver (drivers/nova/drm/driver.h, header-only, registered
 * here) on an auxiliary device registered as nova-core registers it
 * (nova::CORE_DRIVER_NAME.nova-drm.0, with a nova::DrmInfo), by a stand-in
 * parent on pci-testdev; its ioctls through drm_ioctl() with user memory.
 * (nova-core's own probe under it, and the libdrm client, run from user
 * space: nova_sim.ko and tests/nova_drm_client.c.)
 */
#include <kcpp/kunit.h>

#include "../drivers/nova/core/driver.h"
#include "../drivers/nova/drm/driver.h"

#include "drm_helpers.h"
#include "helpers.h"

namespace {

using nova::drm::NovaDrm;

// What the stand-in parent registers its device with; a second device
// carries none, and a third another version of the interface.
constexpr nova::DrmInfo INFO = {0x172, 0, 24ull << 30, 256ull << 20};
struct OldInfo {
  static constexpr const char* SHARED_NAME = "nova-core.drm-info.v0";
  kcpp::u32 chipset;
  kcpp::u32 reserved;
  kcpp::u64 vram_size;
  kcpp::u64 bar1_size;
};

struct FakeCore {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_fake_nova_core";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });
  static kcpp::Result<FakeCore> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    // As nova-core names it: NovaCore.nova-drm.<n>.
    const char* const name = nova::DRM_DEVICE_NAME;
    const char* const modname = nova::CORE_DRIVER_NAME;
    const kcpp::Gfp gfp = kcpp::GFP_KERNEL;
    auto good = KCPP_TRY(kcpp::auxiliary::Registration::make_with_data(pdev, name, 0, INFO, gfp, modname));
    auto none = KCPP_TRY(kcpp::auxiliary::Registration::make(pdev, name, 1, gfp, modname));
    auto old = KCPP_TRY(
        kcpp::auxiliary::Registration::make_with_data(pdev, name, 2, OldInfo{1, 0, 2, 3}, gfp, modname));
    return FakeCore{std::move(good), std::move(none), std::move(old)};
  }
  kcpp::auxiliary::Registration good, none, old;
};

using kcpp_test::get_user;
using kcpp_test::put_user;
using kcpp_test::user_page;

// The stand-in nova-core and nova-drm bound; the devices it registered.
struct Setup {
  static kcpp::Result<kcpp::KBox<Setup>> make() {
    auto pdev = KCPP_TRY(kcpp_test::find_testdev());
    auto drv = KCPP_TRY(kcpp::auxiliary::DriverRegistration<nova::drm::Driver>::make(kcpp::GFP_KERNEL));
    auto core = KCPP_TRY(kcpp::pci::Registration<FakeCore>::make(kcpp::GFP_KERNEL));
    return kcpp::KBox<Setup>::make(kcpp::GFP_KERNEL, Setup{std::move(pdev), std::move(drv), std::move(core)});
  }
  // The auxiliary device of registration r of the bound stand-in.
  kcpp::Result<const kcpp::auxiliary::Device<>*> aux(kcpp::auxiliary::Registration FakeCore::* r) const {
    const FakeCore* fc = KCPP_TRY(KCPP_TRY(kcpp_test::bound(*pdev))->drvdata<FakeCore>());
    // Kept past with_device(): the stand-in's binding, which `core` keeps, keeps it registered.
    return (fc->*r).with_device([](const kcpp::auxiliary::Device<>& d) { return &d; });
  }
  kcpp::Result<const kcpp::drm::Device<NovaDrm>*> drm() const {
    const kcpp::auxiliary::Device<>* a = KCPP_TRY(aux(&FakeCore::good));
    if (!a->as_device().is_bound())
      return kcpp::code::ENODEV;
    // SAFETY: nova-drm is bound to it (checked), and nothing unbinds it during the test.
    const auto& bound = kcpp::auxiliary::Device<kcpp::device::Bound>::unsafe_from_raw(a->as_raw());
    return &KCPP_TRY(bound.drvdata<nova::drm::Driver>())->device();
  }
  kcpp::ARef<kcpp::pci::Device<>> pdev;
  kcpp::auxiliary::DriverRegistration<nova::drm::Driver> drv;
  kcpp::pci::Registration<FakeCore> core;  // last: unregistered first
};

using RenderFile = kcpp_test::DrmFile;

kcpp::Result<void> binds_only_this_interface() {
  auto s = KCPP_TRY(Setup::make());
  KCPP_EXPECT(KCPP_TRY(s->aux(&FakeCore::good))->as_device().is_bound());
  KCPP_EXPECT(!KCPP_TRY(s->aux(&FakeCore::none))->as_device().is_bound());  // ENOENT: no data
  KCPP_EXPECT(!KCPP_TRY(s->aux(&FakeCore::old))->as_device().is_bound());   // EINVAL: another version
  const kcpp::drm::Device<NovaDrm>& dev = *KCPP_TRY(s->drm());
  KCPP_EXPECT_GE(dev.render_minor(), 128);
  KCPP_EXPECT_EQ(dev.data().info.chipset, 0x172u);
  // Shown under the PCI function, not under the auxiliary device it binds.
  KCPP_EXPECT_EQ(dev.parent().as_raw(), s->pdev->as_device().as_raw());
  KCPP_EXPECT_NE(dev.parent().as_raw(), KCPP_TRY(s->aux(&FakeCore::good))->as_device().as_raw());
  return {};
}

kcpp::Result<void> getparam() {
  auto s = KCPP_TRY(Setup::make());
  auto f = KCPP_TRY(RenderFile::open(*KCPP_TRY(s->drm())));
  const kcpp::uptr u = KCPP_TRY(user_page());
  const kcpp::u64 want[][2] = {{NOVA_GETPARAM_VRAM_BAR_SIZE, INFO.bar1_size},
                               {NOVA_GETPARAM_CHIPSET, INFO.chipset},
                               {NOVA_GETPARAM_VRAM_SIZE, INFO.vram_size}};
  for (const auto& w : want) {
    KCPP_TRY(put_user(u, drm_nova_getparam{w[0], 0}));
    KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GETPARAM, u), 0);
    KCPP_EXPECT_EQ(KCPP_TRY(get_user<drm_nova_getparam>(u)).value, w[1]);
  }
  const kcpp::u64 bads[] = {0, 2, 0x102, ~kcpp::u64(0)};
  for (const kcpp::u64 bad : bads) {
    KCPP_TRY(put_user(u, drm_nova_getparam{bad, 77}));
    KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GETPARAM, u), -KCPP_EINVAL);
    KCPP_EXPECT_EQ(KCPP_TRY(get_user<drm_nova_getparam>(u)).value, 77u);  // the handler wrote nothing
  }
  return {};
}

kcpp::Result<void> gem_create_and_info() {
  auto s = KCPP_TRY(Setup::make());
  const kcpp::drm::Device<NovaDrm>& dev = *KCPP_TRY(s->drm());
  auto f = KCPP_TRY(RenderFile::open(dev));
  auto g = KCPP_TRY(RenderFile::open(dev));
  const kcpp::uptr u = KCPP_TRY(user_page());
  KCPP_TRY(put_user(u, drm_nova_gem_create{0, 0, 4097}));
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_CREATE, u), 0);
  const kcpp::u32 handle = KCPP_TRY(get_user<drm_nova_gem_create>(u)).handle;
  KCPP_EXPECT_NE(handle, 0u);
  KCPP_TRY(put_user(u, drm_nova_gem_info{handle, 0, 0}));
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_INFO, u), 0);
  KCPP_EXPECT_EQ(KCPP_TRY(get_user<drm_nova_gem_info>(u)).size, 8192u);  // rounded up to 4 KiB
  KCPP_EXPECT_EQ(g.ioctl(NovaDrm::GEM_INFO, u), -KCPP_ENOENT);           // another file's handle
  KCPP_TRY(put_user(u, drm_nova_gem_info{handle + 1, 0, 0}));
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_INFO, u), -KCPP_ENOENT);
  KCPP_TRY(put_user(u, drm_nova_gem_create{0, 0, 0}));
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_CREATE, u), -KCPP_EINVAL);
  KCPP_TRY(put_user(u, drm_nova_gem_create{0, 0, ~kcpp::u64(0) - 100}));  // does not round up in 64 bits
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_CREATE, u), -KCPP_EINVAL);
  KCPP_TRY(put_user(u, drm_nova_gem_create{0, 0, ~kcpp::u64(0) - 4095}));  // past LLONG_MAX: shmem's EINVAL
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_CREATE, u), -KCPP_EINVAL);
  KCPP_TRY(put_user(u, drm_nova_gem_create{0, 0, kcpp::u64(2) << 40}));  // past the mmap offset space
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_CREATE, u), -KCPP_ENOSPC);
  KCPP_TRY(put_user(u, drm_nova_gem_create{0, 1, 4096}));  // pad is reserved
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_CREATE, u), -KCPP_EINVAL);
  KCPP_TRY(put_user(u, drm_nova_gem_info{handle, 1, 0}));
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_INFO, u), -KCPP_EINVAL);
  // Objects of 512 GiB each, lazily backed: none keeps an mmap offset, so
  // many fit where the offset space (about 1 TiB) would hold one.
  for (int i = 0; i < 8; i++) {
    KCPP_TRY(put_user(u, drm_nova_gem_create{0, 0, kcpp::u64(512) << 30}));
    KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_CREATE, u), 0);
  }
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GEM_CREATE, 0), -KCPP_EFAULT);
  return {};
}

// nova-core's unbind unplugs nova-drm's device under an open file.
kcpp::Result<void> unbind_under_an_open_file() {
  auto s = KCPP_TRY(Setup::make());
  auto f = KCPP_TRY(RenderFile::open(*KCPP_TRY(s->drm())));
  const kcpp::uptr u = KCPP_TRY(user_page());
  KCPP_TRY(put_user(u, drm_nova_getparam{NOVA_GETPARAM_CHIPSET, 0}));
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GETPARAM, u), 0);
  kcpp_device_release_driver(s->pdev->as_device().as_raw());
  KCPP_EXPECT_EQ(f.ioctl(NovaDrm::GETPARAM, u), -KCPP_ENODEV);
  KCPP_EXPECT_EQ(kcpp_device_attach(s->pdev->as_device().as_raw()), 1);
  auto g = KCPP_TRY(RenderFile::open(*KCPP_TRY(s->drm())));
  KCPP_EXPECT_EQ(g.ioctl(NovaDrm::GETPARAM, u), 0);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(nova_drm, KCPP_KUNIT_CASE(binds_only_this_interface), KCPP_KUNIT_CASE(getparam),
                 KCPP_KUNIT_CASE(gem_create_and_info), KCPP_KUNIT_CASE(unbind_under_an_open_file));
