#include "registration.h"

#include "error_report.h"

namespace oci {

// Replaced by the registration work of issue 4.
int RunRegistration(const RegistrationRequest& request) {
  ReportError("--oi-register " + request.engine + " is not available yet", "", "");
  return 1;
}

}  // namespace oci
