// What a person can do besides the board, for one case, as information with sources: the
// other places to turn that the law data names for the therapist's jurisdiction and its
// parents (an association's ethics committee for the therapist's profession, the regulator
// of insurance where billing is at issue, the criminal law where it covers what happened),
// the clinic's own process when the therapist works for one, and what the therapist's code
// of ethics says about ending therapy (for the letters to the therapist). Nothing here is a
// step the person must take; the front ends say so.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "service/services.h"

namespace recourse::service {

struct RouteInfo {
  std::string id;
  std::string kind;  // jurisdiction::routeKindName: association, insurance, criminal, other
  std::string name;
  std::string summary;
  std::string how;
  std::string url;
  std::string time_limit;
  std::string jurisdiction;  // whose law or body it is: "California", "United States"
  std::string citation;
  bool verified = false;
  std::string caution;  // when not verified: what could not be confirmed
  // The kinds of harm noted in the case that made it show (labels), "" when it shows for
  // every case of this profession.
  std::vector<std::string> because_of;
};

struct EndingStandard {
  std::string code;     // "AAMFT Code of Ethics"
  std::string section;  // "1.11"
  std::string title;    // "Non-Abandonment"
  std::string plain;    // what it asks, in plain words to the person
  bool verified = false;
  bool own = false;      // of the therapist's own profession
  bool citable = false;  // a letter may cite it: verified, with its words read
};

struct OtherRoutes {
  std::string case_id;
  std::string provider_name;
  std::string practice;           // the clinic or employer, "" when none is noted
  std::vector<RouteInfo> routes;  // by kind (association, insurance, criminal, other)
  // Routes of the jurisdiction kept back because no incident of the case is of the kind
  // they are for (billing, sexual contact): the front ends say that noting such an
  // incident shows them, never what they are about unasked.
  int held_back = 0;
  // What the codes say about ending therapy and referrals: those with plain words, the
  // therapist's own profession's first.
  std::vector<EndingStandard> ending;
  bool ending_citable = false;  // the ending letter can name a section of their own code
};

// NotFound about "case_id"; the store's error as it is.
core::StatusOr<OtherRoutes> otherRoutes(Services& s, const std::string& case_id);

}  // namespace recourse::service
