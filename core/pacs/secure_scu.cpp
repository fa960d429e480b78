#include "pacs/internal/secure_scu.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace nesa::pacs::internal {
namespace {

OFCondition failure(const std::string &text) {
  return makeOFCondition(OFM_dcmtls, 1001, OF_error, text.c_str());
}

} // namespace

OFCondition prepareTlsLayer(DcmTLSTransportLayer &layer, const PacsNode &node) {
  if (layer.addTrustedCertificateFile(node.trustedCertificates.c_str(), DCF_Filetype_PEM).bad())
    return failure("the trusted certificates in " + node.trustedCertificates.string() +
                   " cannot be read as PEM");
  if (!node.certificate.empty()) {
    if (layer.setPrivateKeyFile(node.privateKey.c_str(), DCF_Filetype_PEM).bad() ||
        layer.setCertificateFile(node.certificate.c_str(), DCF_Filetype_PEM).bad())
      return failure("our TLS certificate " + node.certificate.string() + " or its key " +
                     node.privateKey.string() + " cannot be read as PEM");
    if (!layer.checkPrivateKeyMatchesCertificate())
      return failure("our TLS key " + node.privateKey.string() + " does not belong to " +
                     node.certificate.string());
  }
  layer.setCertificateVerification(DCV_requireCertificate);
  OFCondition status = layer.setTLSProfile(TSP_Profile_BCP195_ND);
  if (status.good())
    status = layer.activateCipherSuites();
  if (status.bad())
    return status;
  SSL_CTX *context = layer.getNativeHandle();
  if (context == nullptr)
    return failure("no TLS context");
  SSL_CTX_set_security_level(context, 2); // no short keys, no SHA-1 signatures, TLS 1.2 at least
  X509_VERIFY_PARAM *check = SSL_CTX_get0_param(context);
  // The certificate must name what we call: an address as an IP entry, else the host name.
  if (X509_VERIFY_PARAM_set1_ip_asc(check, node.host.c_str()) != 1 &&
      X509_VERIFY_PARAM_set1_host(check, node.host.c_str(), 0) != 1)
    return failure("cannot check certificates against the host " + node.host);
  return EC_Normal;
}

} // namespace nesa::pacs::internal
