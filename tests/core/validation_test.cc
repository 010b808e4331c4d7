#include "core/validation.h"

#include <gtest/gtest.h>

namespace recourse::core {
namespace {

Case validCase() {
  Case c;
  c.client_id = "cl_x";
  c.provider.name = "Dr. Ana Pérez";
  return c;
}

TEST(ValidationTest, ClientNeedsOnlyAName) {
  Client c;
  c.name = "Zoë Müller";
  EXPECT_TRUE(validateClient(c).isOk());
  c.name = "   ";
  EXPECT_EQ(validateClient(c).text(), "name: must not be empty");
}

TEST(ValidationTest, ClientFieldsAreChecked) {
  Client c;
  c.name = "Line one\nline two";
  EXPECT_EQ(validateClient(c).text(), "name: must be a single line");
  c.name = std::string(501, 'a');
  EXPECT_EQ(validateClient(c).text(), "name: is longer than 500 bytes");
  c.name = "Zoë";
  c.email = "not-an-address";
  EXPECT_EQ(validateClient(c).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(validateClient(c).text().rfind("email: ", 0), 0u);
  c.email.clear();
  c.notes = std::string("bad \xC3\x28 utf8");
  EXPECT_EQ(validateClient(c).text(), "notes: is not valid UTF-8 text");
}

TEST(ValidationTest, ADateOfBirthIsARealDay) {
  Client c;
  c.name = "Zoë";
  c.date_of_birth = "1975-02-28";
  EXPECT_TRUE(validateClient(c).isOk());
  for (const char* bad : {"1975-02-30", "02/28/1975", "1975-2-28"}) {
    c.date_of_birth = bad;
    core::Status st = validateClient(c);
    EXPECT_EQ(st.field(), "date_of_birth") << bad;
    EXPECT_NE(st.message().find("is not a real date"), std::string::npos) << st.text();
    // The value itself is personal data: not repeated in the message.
    EXPECT_EQ(st.text().find(bad), std::string::npos) << st.text();
  }
}

TEST(ValidationTest, Utf8) {
  EXPECT_TRUE(isValidUtf8("Nguyễn Thị Minh 🙂"));
  EXPECT_FALSE(isValidUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xE2\x82"));          // truncated
}

TEST(ValidationTest, JurisdictionCodes) {
  for (const char* ok : {"us", "us-ca", "gb", "ca-on", "au", "gb-sct"}) {
    EXPECT_TRUE(isJurisdictionCode(ok)) << ok;
  }
  for (const char* bad : {"", "u", "US", "us_ca", "us-", "usa", "us-CA", "us-toolongcode"}) {
    EXPECT_FALSE(isJurisdictionCode(bad)) << bad;
  }
}

TEST(ValidationTest, CaseNamesProviderFields) {
  Case c = validCase();
  EXPECT_TRUE(validateCase(c).isOk());
  c.provider.jurisdiction = "California";
  EXPECT_EQ(validateCase(c).text().rfind("provider.jurisdiction: ", 0), 0u);
  c = validCase();
  c.provider.name = "";
  EXPECT_EQ(validateCase(c).text(), "provider.name: must not be empty");
  c = validCase();
  c.treatment_start = Date(2025, 5, 1);
  c.treatment_end = Date(2025, 4, 30);
  EXPECT_EQ(validateCase(c).text(),
            "treatment_end: 2025-04-30 is before treatment_start 2025-05-01");
}

TEST(ValidationTest, IncidentNeedsOnlyASummary) {
  Incident i;
  i.case_id = "cs_x";
  i.summary = "Cancelled all sessions by text with no referral";
  EXPECT_TRUE(validateIncident(i).isOk());
  i.summary = "";
  EXPECT_EQ(validateIncident(i).text(), "summary: must not be empty");
}

TEST(ValidationTest, IncidentChannelAndDates) {
  Incident i;
  i.case_id = "cs_x";
  i.summary = "s";
  i.channel = "carrier pigeon";
  std::string msg = validateIncident(i).text();
  EXPECT_EQ(msg.rfind("channel: ", 0), 0u);
  EXPECT_NE(msg.find("in_session"), std::string::npos);  // lists what is accepted
  i.channel = "text";
  i.date_precision = DatePrecision::kRange;
  i.date_start = Date(2024, 3, 1);
  EXPECT_EQ(validateIncident(i).text().rfind("date_end: ", 0), 0u);
  i.date_end = Date(2024, 2, 1);
  EXPECT_EQ(validateIncident(i).text(), "date_end: 2024-02-01 is before date 2024-03-01");
  i.date_end = Date(2024, 4, 1);
  EXPECT_TRUE(validateIncident(i).isOk());
}

TEST(ValidationTest, RecordsRequestNeedsACaseAndACustodian) {
  RecordsRequest r;
  r.case_id = "cs_x";
  r.custodian_name = "Bay Clinic";
  EXPECT_TRUE(validateRecordsRequest(r).isOk());
  r.custodian_name = " \t";
  Status s = validateRecordsRequest(r);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "custodian_name");
  EXPECT_EQ(s.message(), "must not be empty");
  r.custodian_name = "Bay Clinic";
  r.custodian_email = std::string(2001, 'e');
  EXPECT_EQ(validateRecordsRequest(r).field(), "custodian_email");
  EXPECT_EQ(validateRecordsRequest(r).message(), "is longer than 2000 bytes");
  r.custodian_email.clear();
  r.reference = std::string("bad \xC3\x28");
  EXPECT_EQ(validateRecordsRequest(r).text(), "reference: is not valid UTF-8 text");
  r.reference.clear();
  r.jurisdiction = "California";
  s = validateRecordsRequest(r);
  EXPECT_EQ(s.field(), "jurisdiction");
  EXPECT_EQ(s.message().rfind("\"California\" is not a jurisdiction code", 0), 0u) << s.message();
  r.jurisdiction = "us-ca";
  r.case_id.clear();
  EXPECT_EQ(validateRecordsRequest(r).field(), "case_id");
}

TEST(ValidationTest, RequestEventChannelAndDetails) {
  RequestEvent e;
  e.request_id = "rq_x";
  e.on = Date(2026, 3, 2);
  e.via = "email";
  EXPECT_TRUE(validateRequestEvent(e).isOk());
  e.via = "pigeon";
  Status s = validateRequestEvent(e);
  EXPECT_EQ(s.field(), "via");
  EXPECT_EQ(s.message(), "\"pigeon\" is not one of mail, email, fax, portal, in_person");
  e.via.clear();
  e.details = std::string(kMaxLongText + 1, 'd');
  EXPECT_EQ(validateRequestEvent(e).field(), "details");
  e.details = "Called them; no answer.";
  e.request_id.clear();
  EXPECT_EQ(validateRequestEvent(e).field(), "request_id");
}

TEST(ValidationTest, EvidenceItemNeedsANameAndTheHashTakenFirst) {
  EvidenceItem e;
  e.case_id = "cs_x";
  e.original_name = "screenshot.png";
  e.sha256_hex = std::string(64, 'a');
  EXPECT_TRUE(validateEvidenceItem(e).isOk());
  e.original_name.clear();
  EXPECT_EQ(validateEvidenceItem(e).field(), "original_name");
  e.original_name = "screenshot.png";
  e.description = std::string("\xFF");
  EXPECT_EQ(validateEvidenceItem(e).text(), "description: is not valid UTF-8 text");
  e.description.clear();
  for (const std::string& bad : {std::string(), std::string(63, 'a'), std::string(64, 'G')}) {
    e.sha256_hex = bad;
    Status s = validateEvidenceItem(e);
    EXPECT_EQ(s.field(), "sha256") << bad;
    EXPECT_EQ(s.message().rfind("must be the SHA-256 taken of the file first", 0), 0u);
  }
}

TEST(ValidationTest, ComplaintAnswersAndJurisdiction) {
  Complaint c;
  c.case_id = "cs_x";
  c.board_id = "us-ca-bbs";
  c.jurisdiction = "us-ca";
  c.answers_json = "{\"summary\": \"Zoë\"}";
  EXPECT_TRUE(validateComplaint(c).isOk());
  c.answers_json = std::string("{\"x\": \"\xC3\x28\"}");
  EXPECT_EQ(validateComplaint(c).text(), "answers: is not valid UTF-8 text");
  c.answers_json = "{}";
  c.jurisdiction = "CA";
  EXPECT_EQ(validateComplaint(c).field(), "jurisdiction");
  c.jurisdiction.clear();
  c.case_id.clear();
  EXPECT_EQ(validateComplaint(c).field(), "case_id");
  EXPECT_EQ(validateComplaint(c).message(), "must name the case");
}

TEST(ValidationTest, DatePrecisionNamesRoundTrip) {
  for (auto p : {DatePrecision::kUnknown, DatePrecision::kExact, DatePrecision::kApproximate,
                 DatePrecision::kRange, DatePrecision::kRecurring}) {
    auto back = parseDatePrecision(datePrecisionName(p));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, p);
  }
  EXPECT_FALSE(parseDatePrecision("sometime").has_value());
}

}  // namespace
}  // namespace recourse::core
