// Accounts and access on the command line: user add|list|passwd|recover, grant, revoke,
// access, audit --client, --user and RECOURSE_USER.
#include "fakes/cli_harness.h"

namespace recourse::cli {
namespace {

using testing::kPassphrase;

constexpr char kJoPass[] = "jo's own passphrase";

class AccountsCliTest : public testing::CliHarness {
 protected:
  // A vault whose first account is "maria", a client she keeps, and an advocate "jo".
  void SetUp() override {
    vars_["RECOURSE_USER"] = "maria";
    auto r = cli({"init", "--kdf", "interactive", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.json()->getValue<std::string>("user"), "maria");
    maria_code_ = r.json()->getValue<std::string>("recovery_code");
    client_ = addClient("Dana Reyes");
    vars_["RECOURSE_NEW_PASSPHRASE"] = kJoPass;
    r = cli({"user", "add", "jo", "--role", "advocate", "--kdf", "interactive", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    jo_fingerprint_ = r.json()->getValue<std::string>("fingerprint");
    vars_.erase("RECOURSE_NEW_PASSPHRASE");
  }

  // Runs a command as jo.
  Result asJo(std::vector<std::string> args) {
    args.insert(args.begin(), {"--user", "jo"});
    auto saved = vars_;
    vars_["RECOURSE_PASSPHRASE"] = kJoPass;
    Result r = cli(std::move(args));
    vars_ = saved;
    return r;
  }

  std::string maria_code_;
  std::string client_;
  std::string jo_fingerprint_;
};

TEST_F(AccountsCliTest, AnAdvocateWorksOnlyWithTheClientsWhoLetThemIn) {
  Result r = asJo({"client", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.jsonArray()->size(), 0u);
  r = asJo({"client", "show", client_});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no access"), std::string::npos) << r.err;

  r = cli({"grant", "--client", client_, "--to", "jo"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(jo_fingerprint_), std::string::npos) << r.out;
  r = asJo({"client", "list", "--json"});
  ASSERT_EQ(r.jsonArray()->size(), 1u);
  r = asJo({"case", "add", "--client", client_, "--provider-name", "Dr. Vale"});
  ASSERT_EQ(r.code, 0) << r.err;

  r = cli({"revoke", "--client", client_, "--from", "jo"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("cannot be taken back"), std::string::npos) << r.out;
  r = asJo({"client", "show", client_});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no access"), std::string::npos) << r.err;
  EXPECT_EQ(asJo({"client", "list", "--json"}).jsonArray()->size(), 0u);
  // Maria still works with Dana's records, under the new key.
  r = cli({"case", "list", "--client", client_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.jsonArray()->size(), 1u);
}

TEST_F(AccountsCliTest, TheClientsHistorySaysWhoDidWhatThroughWhat) {
  ASSERT_EQ(cli({"grant", "--client", client_, "--to", "jo"}).code, 0);
  ASSERT_EQ(asJo({"client", "show", client_}).code, 0);
  Result r = cli({"audit", "--client", client_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto o = r.json();
  EXPECT_TRUE(o->getValue<bool>("chain_ok"));
  auto entries = o->getArray("entries");
  bool jo_read = false;
  bool granted = false;
  for (size_t i = 0; i < entries->size(); ++i) {
    auto e = entries->getObject(static_cast<unsigned>(i));
    if (e->getValue<std::string>("user") == "jo" &&
        e->getValue<std::string>("action") == "read.client") {
      jo_read = true;
      EXPECT_EQ(e->getValue<std::string>("via"), "cli");
      EXPECT_EQ(e->getValue<std::string>("role"), "advocate");
    }
    if (e->getValue<std::string>("action") == "access.grant") granted = true;
  }
  EXPECT_TRUE(jo_read);
  EXPECT_TRUE(granted);
  r = cli({"audit", "--client", client_});
  EXPECT_NE(r.out.find("read their details"), std::string::npos) << r.out;
  // Someone the client never let in cannot read it.
  const std::string other = addClient("Someone Else");
  r = asJo({"audit", "--client", other});
  EXPECT_EQ(r.code, 1);
  // Nor does the whole log show the advocate anything about that person.
  r = asJo({"audit", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find(other), std::string::npos);
  EXPECT_NE(r.out.find(client_), std::string::npos);
  r = cli({"audit", "--json"});  // an administrator sees it all
  EXPECT_NE(r.out.find(other), std::string::npos);
}

TEST_F(AccountsCliTest, BadInputIsRefusedAndChangesNothing) {
  Result r = cli({"grant", "--client", client_, "--to", "nobody"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("no account named nobody"), std::string::npos) << r.err;
  r = cli({"grant", "--client", client_, "--to", "maria"});
  EXPECT_EQ(r.code, 2);
  ASSERT_EQ(cli({"grant", "--client", client_, "--to", "jo"}).code, 0);
  r = cli({"grant", "--client", client_, "--to", "jo"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("has access to these records already"), std::string::npos) << r.err;
  r = cli({"revoke", "--client", client_, "--from", "maria"});
  EXPECT_EQ(r.code, 2);
  vars_["RECOURSE_NEW_PASSPHRASE"] = "long enough one";
  r = cli({"user", "add", "jo", "--role", "advocate", "--kdf", "interactive"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("already an account named jo"), std::string::npos) << r.err;
  r = cli({"user", "add", "kim", "--role", "wizard", "--kdf", "interactive"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("wizard"), std::string::npos) << r.err;
  // Only an administrator makes accounts.
  r = asJo({"user", "add", "kim", "--role", "admin", "--kdf", "interactive"});
  EXPECT_EQ(r.code, 1);
  // A wrong passphrase for another account.
  vars_["RECOURSE_PASSPHRASE"] = "not jo's passphrase";
  r = cli({"--user", "jo", "client", "list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("does not open jo's account"), std::string::npos) << r.err;
  vars_["RECOURSE_PASSPHRASE"] = kPassphrase;
  r = cli({"--user", "nobody", "client", "list"});
  EXPECT_NE(r.code, 0);
  // Without a name, a vault with several accounts asks whose.
  vars_.erase("RECOURSE_USER");
  r = cli({"client", "list"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("say whose"), std::string::npos) << r.err;
  vars_["RECOURSE_USER"] = "maria";
  r = cli({"user", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.jsonArray()->size(), 2u);
}

TEST_F(AccountsCliTest, APassphraseIsChangedOrRecovered) {
  vars_["RECOURSE_NEW_PASSPHRASE"] = "maria's second passphrase";
  Result r = cli({"user", "passwd", "--kdf", "interactive"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(cli({"client", "list"}).code, 1);  // the old one no longer opens it
  vars_["RECOURSE_PASSPHRASE"] = "maria's second passphrase";
  EXPECT_EQ(cli({"client", "list"}).code, 0);

  vars_["RECOURSE_RECOVERY_CODE"] = maria_code_;
  vars_["RECOURSE_NEW_PASSPHRASE"] = "maria's third passphrase";
  r = cli({"user", "recover", "maria", "--kdf", "interactive", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string fresh = r.json()->getValue<std::string>("recovery_code");
  EXPECT_NE(fresh, maria_code_);
  vars_["RECOURSE_PASSPHRASE"] = "maria's third passphrase";
  EXPECT_EQ(cli({"client", "list"}).code, 0);
  r = cli({"user", "recover", "maria", "--kdf", "interactive"});  // the old code again
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("recovery code does not open"), std::string::npos) << r.err;
  // The new code, kept in a file (with a Windows line end).
  vars_.erase("RECOURSE_RECOVERY_CODE");
  const std::string file = tmp_.file("code.txt");
  testing::writeFile(file, fresh + "\r\n");
  r = cli({"user", "recover", "maria", "--kdf", "interactive", "--recovery-code-file", file});
  EXPECT_EQ(r.code, 0) << r.err;
  r = cli({"user", "recover", "maria", "--recovery-code-file", tmp_.file("none.txt")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--recovery-code-file: cannot read"), std::string::npos) << r.err;
}

TEST_F(AccountsCliTest, AClientsOwnAccountOpensTheirRecordsAndDecidesWhoElseMay) {
  vars_["RECOURSE_NEW_PASSPHRASE"] = "dana's own passphrase";
  Result r =
      cli({"user", "add", "dana", "--role", "client", "--client", client_, "--kdf", "interactive"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("They can open their own records"), std::string::npos) << r.out;
  vars_["RECOURSE_PASSPHRASE"] = "dana's own passphrase";
  r = cli({"--user", "dana", "grant", "--client", client_, "--to", "jo"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = asJo({"client", "show", client_});
  EXPECT_EQ(r.code, 0) << r.err;
  r = cli({"--user", "dana", "access", "--client", client_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.jsonArray()->size(), 3u);  // maria (made the record), dana, jo
}

TEST_F(AccountsCliTest, AnAdministratorActsForAClientOnlyWhereThePolicySaysAndWithAReason) {
  vars_["RECOURSE_NEW_PASSPHRASE"] = "dana's own passphrase";
  ASSERT_EQ(
      cli({"user", "add", "dana", "--role", "client", "--client", client_, "--kdf", "interactive"})
          .code,
      0);
  // Dana has her own account now: Maria, who made her record, no longer decides.
  Result r = cli({"grant", "--client", client_, "--to", "jo"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("only the client themself"), std::string::npos) << r.err;
  EXPECT_EQ(asJo({"policy", "--admins-may-grant", "on"}).code, 1);  // not an administrator
  r = cli({"policy", "--admins-may-grant", "on", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.json()->getValue<bool>("admins_may_grant"));
  r = cli({"grant", "--client", client_, "--to", "jo"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--reason"), std::string::npos) << r.err;
  r = cli({"grant", "--client", client_, "--to", "jo", "--reason", "Dana asked by phone"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = cli({"access", "--client", client_});
  EXPECT_NE(r.out.find("reason: Dana asked by phone"), std::string::npos) << r.out;
  EXPECT_EQ(asJo({"client", "show", client_}).code, 0);
  r = cli({"policy", "--admins-may-grant", "maybe"});
  EXPECT_EQ(r.code, 2);
}

TEST_F(AccountsCliTest, TheCaseloadShowsWhatIsOverdueAndDueAcrossTheClientsWhoLetJoIn) {
  // Dana's request was sent on March 2 (due April 1, 30 days under HIPAA); Eli's on March 12
  // (due April 11). On April 10 Dana's is overdue and Eli's due tomorrow. Flo gave no access.
  auto addCaseWithRequest = [&](const std::string& client, const std::string& sent_on) {
    Result r =
        cli({"case", "add", "--client", client, "--provider-name", "Dr. Vale", "--license-type",
             "psychologist", "--jurisdiction", "us", "--practice", "Bay Clinic", "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    r = cli({"request", "add", "--case", r.id(), "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(cli({"request", "send", r.id(), "--on", sent_on, "--via", "mail"}).code, 0);
  };
  const std::string eli = addClient("Eli Stone");
  const std::string flo = addClient("Flo Hart");
  setToday(2026, 3, 12);
  addCaseWithRequest(client_, "2026-03-02");
  addCaseWithRequest(eli, "2026-03-12");
  addCaseWithRequest(flo, "2026-03-02");
  ASSERT_EQ(cli({"grant", "--client", client_, "--to", "jo"}).code, 0);
  ASSERT_EQ(cli({"grant", "--client", eli, "--to", "jo"}).code, 0);
  setToday(2026, 4, 10);

  Result r = asJo({"caseload", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto o = r.json();
  auto clients = o->getArray("clients");
  ASSERT_EQ(clients->size(), 2u) << r.out;
  EXPECT_EQ(clients->getObject(0)->getValue<std::string>("name"), "Dana Reyes");
  EXPECT_GE(clients->getObject(0)->getValue<int>("overdue"), 1) << r.out;
  EXPECT_EQ(clients->getObject(1)->getValue<std::string>("name"), "Eli Stone");
  EXPECT_EQ(clients->getObject(1)->getValue<int>("overdue"), 0) << r.out;
  EXPECT_GE(clients->getObject(1)->getValue<int>("due_this_week"), 1) << r.out;
  EXPECT_EQ(clients->getObject(1)->getValue<std::string>("next_due"), "2026-04-11") << r.out;
  auto overdue = o->getArray("overdue");
  ASSERT_GE(overdue->size(), 1u);
  EXPECT_EQ(overdue->getObject(0)->getValue<std::string>("date"), "2026-04-01");
  EXPECT_EQ(overdue->getObject(0)->getValue<std::string>("client_name"), "Dana Reyes");
  EXPECT_EQ(r.out.find("Flo Hart"), std::string::npos) << r.out;

  r = asJo({"caseload"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Overdue:\n  2026-04-01"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-04-11"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Flo Hart"), std::string::npos) << r.out;
  EXPECT_EQ(asJo({"caseload", "--within", "x"}).code, 2);
}

TEST_F(AccountsCliTest, ABatchRunByStaffSealsEachNewClientToTheStaffAndToTheirOwnAccount) {
  // Staff member "lee" runs the batch; "ana-own" is the own account of the client the first
  // row makes, before that client's record exists.
  vars_["RECOURSE_NEW_PASSPHRASE"] = "lee's own passphrase";
  ASSERT_EQ(cli({"user", "add", "lee", "--role", "staff", "--kdf", "interactive"}).code, 0);
  vars_["RECOURSE_NEW_PASSPHRASE"] = "ana's own passphrase";
  ASSERT_EQ(cli({"user", "add", "ana-own", "--role", "client", "--kdf", "interactive"}).code, 0);
  vars_.erase("RECOURSE_NEW_PASSPHRASE");
  auto asUser = [&](const std::string& user, const std::string& pass,
                    std::vector<std::string> args) {
    args.insert(args.begin(), {"--user", user});
    auto saved = vars_;
    vars_["RECOURSE_PASSPHRASE"] = pass;
    Result r = cli(std::move(args));
    vars_ = saved;
    return r;
  };
  const std::string header =
      "client_ref,client_name,client_account,jurisdiction,custodian_name,custodian_address,"
      "custodian_city,custodian_region,custodian_postal_code,client_email\n";
  const std::string rows =
      "R-1,Ana Ruiz,ana-own,us,Bay Clinic,1 Main St,Oakland,CA,94607,ana@example.org\n"
      "R-2,Ben Cole,,us,Bay Clinic,1 Main St,Oakland,CA,94607,ben@example.org\n";

  // An account that is not a client's own is refused by row and column; nothing is made.
  const std::string bad = tmp_.file("bad.csv");
  testing::writeFile(
      bad, header + "R-1,Ana Ruiz,jo,us,Bay Clinic,1 Main St,Oakland,CA,94607,a@example.org\n" +
               "R-2,Ben Cole,nobody,us,Bay Clinic,1 Main St,Oakland,CA,94607,b@example.org\n");
  Result r = asUser("lee", "lee's own passphrase",
                    {"request", "batch", "--csv", bad, "--out", tmp_.file("out-bad")});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("row 2, client_account: jo is not a client's own account"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("row 3, client_account: there is no account named nobody"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(asUser("lee", "lee's own passphrase", {"client", "list", "--json"}).jsonArray()->size(),
            0u);

  const std::string good = tmp_.file("good.csv");
  testing::writeFile(good, header + rows);
  r = asUser("lee", "lee's own passphrase",
             {"request", "batch", "--csv", good, "--out", tmp_.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  r = asUser("lee", "lee's own passphrase", {"client", "list", "--json"});
  ASSERT_EQ(r.jsonArray()->size(), 2u) << r.out;
  std::string ana;
  for (size_t i = 0; i < 2; ++i) {
    auto c = r.jsonArray()->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("name") == "Ana Ruiz") ana = c->getValue<std::string>("id");
  }
  ASSERT_FALSE(ana.empty());
  // Ana's own account opens her record (and only hers), and it is hers to decide now.
  r = asUser("ana-own", "ana's own passphrase", {"client", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(r.jsonArray()->size(), 1u) << r.out;
  EXPECT_EQ(r.jsonArray()->getObject(0)->getValue<std::string>("name"), "Ana Ruiz");
  r = asUser("ana-own", "ana's own passphrase", {"access", "--client", ana, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"own\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"lee\""), std::string::npos) << r.out;
  // The same file again links nothing twice and makes nothing new.
  r = asUser("lee", "lee's own passphrase",
             {"request", "batch", "--csv", good, "--out", tmp_.file("out-again")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(asUser("lee", "lee's own passphrase", {"client", "list", "--json"}).jsonArray()->size(),
            2u);
  // Maria (the administrator) never had access to what lee's batch made.
  EXPECT_EQ(cli({"client", "list", "--json"}).jsonArray()->size(), 1u);
}

TEST_F(AccountsCliTest, OnlyTheHolderSeesTheirRecoveryCodeAtTheirFirstSignIn) {
  Result r = asJo({"client", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  const size_t at = r.err.find("has a new recovery code");
  ASSERT_NE(at, std::string::npos) << r.err;
  const std::string code = r.err.substr(r.err.find("    ", at) + 4, 29);
  EXPECT_EQ(code.size(), 29u);
  EXPECT_EQ(asJo({"client", "list"}).err.find("recovery code"), std::string::npos) << "once";
  // It works for jo's forgotten passphrase.
  const std::string file = tmp_.file("jo-code.txt");
  testing::writeFile(file, code + "\n");
  vars_["RECOURSE_NEW_PASSPHRASE"] = "jo's second passphrase";
  r = cli({"user", "recover", "jo", "--recovery-code-file", file, "--kdf", "interactive"});
  EXPECT_EQ(r.code, 0) << r.err;
}

}  // namespace
}  // namespace recourse::cli
