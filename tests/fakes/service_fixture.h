// A workflow-level test fixture: the real catalog (the repository's jurisdictions/ and
// forms/), an in-memory store with an unlocked vault, a fake clock (2026-03-02 09:00 UTC
// unless a test moves it) and the Services every workflow takes.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "fakes/test_store.h"
#include "service/services.h"
#include "service/vault.h"
#include "store/store.h"

namespace recourse::testing {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::shared_ptr<const service::Catalog> catalog =
        service::Catalog::load({std::string(RECOURSE_SOURCE_DIR) + "/jurisdictions",
                                std::string(RECOURSE_SOURCE_DIR) + "/forms"});
    auto st = openTestStore(clock_);
    ASSERT_TRUE(st.isOk()) << st.status().toString();
    auto params = store::kdfParamsNamed("interactive");
    ASSERT_TRUE(params.isOk());
    ASSERT_TRUE((*st)->createVault("correct horse battery", *params).isOk());
    catalog_ = catalog;
    session_ = service::VaultSession::adopt(std::move(st).value(), catalog, clock_, tmp_.path());
  }

  service::Services& services() { return session_->services(); }
  store::Store& store() { return services().store; }
  const service::Catalog& catalog() { return services().catalog; }

  // A client and a case about a provider licensed as `license` in `jurisdiction`.
  core::Case addCase(const std::string& jurisdiction = "us-ca",
                     const std::string& license = "LMFT") {
    core::Client c;
    c.name = "Maya Okafor";
    c.address = "12 Elm Street, Oakland, CA 94601";
    auto client = store().addClient(c);
    EXPECT_TRUE(client.isOk()) << client.status().toString();
    core::Case k;
    k.client_id = client->id;
    k.provider.name = "Dr. Jane Smith";
    k.provider.license_type = license;
    k.provider.jurisdiction = jurisdiction;
    k.provider.practice = "Bay Clinic";
    k.provider.address = "1 Main St, Oakland, CA 94607";
    auto kase = store().addCase(k);
    EXPECT_TRUE(kase.isOk()) << kase.status().toString();
    return *kase;
  }

  core::Incident addIncident(const std::string& case_id, const std::string& start,
                             const std::string& end = "") {
    core::Incident i;
    i.case_id = case_id;
    i.summary = "Sessions ended by text message";
    i.date_start = *core::Date::parse(start, "start");
    i.date_precision = core::DatePrecision::kExact;
    if (!end.empty()) {
      i.date_end = *core::Date::parse(end, "end");
      i.date_precision = core::DatePrecision::kRange;
    }
    auto added = store().addIncident(i);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    return *added;
  }

  // A records request to `custodian` about `kase`, sent by mail on `sent_on`; its id.
  std::string addSentRequest(const core::Case& kase, const std::string& custodian,
                             const std::string& sent_on) {
    core::RecordsRequest r;
    r.case_id = kase.id;
    r.custodian_name = custodian;
    auto added = store().addRequest(r);
    EXPECT_TRUE(added.isOk()) << added.status().toString();
    core::RequestEvent e;
    e.request_id = added->id;
    e.type = core::RequestEventType::kSent;
    e.on = *core::Date::parse(sent_on, "on");
    e.via = "mail";
    EXPECT_TRUE(store().addRequestEvent(e).isOk());
    return added->id;
  }

  TempDir tmp_;
  FakeClock clock_;
  std::shared_ptr<const service::Catalog> catalog_;
  std::unique_ptr<service::VaultSession> session_;
};

}  // namespace recourse::testing
