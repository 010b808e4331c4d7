#include "service/other_routes.h"

#include <algorithm>
#include <set>

#include "jurisdiction/model.h"
#include "service/errors.h"
#include "store/store.h"

namespace recourse::service {

core::StatusOr<OtherRoutes> otherRoutes(Services& s, const std::string& case_id) {
  if (case_id.empty()) return core::invalidArgument("is required").withField("case_id");
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  RECOURSE_ASSIGN_OR_RETURN(auto incidents, s.store.listIncidents(case_id));
  const core::Provider& p = kase->provider;
  OtherRoutes out;
  out.case_id = case_id;
  out.provider_name = p.name;
  out.practice = p.practice == p.name ? "" : p.practice;

  std::set<std::string> harms;
  for (const auto& i : incidents) harms.insert(i.harm_kinds.begin(), i.harm_kinds.end());
  const auto& law = s.catalog.law();
  const std::string license = law.resolveLicense(p.license_type, p.jurisdiction);
  std::vector<std::string> chain;
  for (const auto* j : law.chain(p.jurisdiction)) chain.push_back(j->id);
  const auto* taxonomy = s.catalog.forms().taxonomy ? &*s.catalog.forms().taxonomy : nullptr;
  auto harmLabel = [&](const std::string& id) {
    const forms::HarmKind* k = taxonomy != nullptr ? taxonomy->find(id) : nullptr;
    return k != nullptr ? k->label : id;
  };

  for (const jurisdiction::Jurisdiction* j : law.chain(p.jurisdiction)) {
    for (const auto& r : j->other_routes) {
      if (!r.license_types.empty() && std::find(r.license_types.begin(), r.license_types.end(),
                                                license) == r.license_types.end()) {
        continue;  // another profession's association
      }
      RouteInfo info;
      for (const auto& h : r.harm_kinds) {
        if (harms.count(h)) info.because_of.push_back(harmLabel(h));
      }
      if (!r.harm_kinds.empty() && info.because_of.empty()) {
        ++out.held_back;
        continue;
      }
      info.id = r.id;
      info.kind = jurisdiction::routeKindName(r.kind);
      info.name = r.name;
      info.summary = r.summary;
      info.how = r.how;
      info.url = r.url;
      info.time_limit = r.time_limit;
      info.jurisdiction = j->name;
      info.citation = r.meta.source.citation;
      info.verified = r.meta.verified;
      if (!r.meta.verified) info.caution = r.meta.caution;
      out.routes.push_back(std::move(info));
    }
  }
  // Associations first (closest to the board), then insurance, the criminal law, the rest;
  // within a kind, the state's before the country's as the chain gives them.
  auto rank = [](const std::string& kind) {
    const auto& names = jurisdiction::routeKindNames();
    return std::find(names.begin(), names.end(), kind) - names.begin();
  };
  std::stable_sort(
      out.routes.begin(), out.routes.end(),
      [&](const RouteInfo& a, const RouteInfo& b) { return rank(a.kind) < rank(b.kind); });

  if (taxonomy != nullptr) {
    if (const forms::HarmKind* ending = taxonomy->find("abandonment")) {
      std::vector<EndingStandard> own;
      std::vector<EndingStandard> others;
      for (const auto& c : ending->ethics) {
        if (c.plain.empty()) continue;
        const forms::EthicsCode* code = taxonomy->code(c.code);
        EndingStandard e;
        e.code = code != nullptr ? code->name : c.code;
        e.section = c.section;
        e.title = c.title;
        e.plain = c.plain;
        e.verified = c.verified;
        e.own = code != nullptr && code->ownFor(license, chain);
        e.citable = e.own && e.verified;
        out.ending_citable = out.ending_citable || e.citable;
        (e.own ? own : others).push_back(std::move(e));
      }
      out.ending = std::move(own);
      out.ending.insert(out.ending.end(), others.begin(), others.end());
    }
  }
  return out;
}

}  // namespace recourse::service
