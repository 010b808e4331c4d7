#include "service/services.h"

#include "pdf/document.h"
#include "store/crypto.h"
#include "store/store.h"

namespace recourse::service {

Catalog::Catalog(jurisdiction::Registry law, forms::FormSet forms)
    : law_(std::move(law)), forms_(std::move(forms)) {}

Catalog::~Catalog() = default;

std::shared_ptr<const Catalog> Catalog::load(const CatalogPaths& paths) {
  return fromValues(jurisdiction::Registry::loadDirectory(paths.jurisdictions_dir),
                    forms::loadFormDirectory(paths.forms_dir));
}

std::shared_ptr<const Catalog> Catalog::fromValues(jurisdiction::Registry law,
                                                   forms::FormSet forms) {
  return std::shared_ptr<const Catalog>(new Catalog(std::move(law), std::move(forms)));
}

core::StatusOr<const pdf::FontKit*> Catalog::fonts() const {
  std::call_once(fonts_once_, [this] {
    auto kit = pdf::FontKit::load();
    if (kit.isOk()) {
      fonts_ = std::make_unique<pdf::FontKit>(std::move(kit).value());
    } else {
      fonts_status_ = kit.status();
    }
  });
  if (!fonts_) return fonts_status_;
  return static_cast<const pdf::FontKit*>(fonts_.get());
}

ReadStamp readStamp(Services& s) {
  store::Store::ChangeStamp c = s.store.changeStamp();
  return {c.keys, c.own, c.others, s.clock.today().days().time_since_epoch().count()};
}

std::string randomToken(size_t bytes) {
  store::Bytes b = store::randomBytes(bytes);
  return store::toHex(b.data(), b.size());
}

std::string evidenceDir(const std::string& data_dir) { return data_dir + "/evidence"; }

}  // namespace recourse::service
