// DICOM over TLS for any DcmSCU, with a transport layer of ours: DCMTK's DcmTLSSCU would accept a
// certificate issued for another host, old protocol versions and an unreadable trust file.
#pragma once

#include "pacs/pacs_node.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/dcmtls/tlslayer.h>

#include <memory>
#include <utility>

namespace nesa::pacs::internal {

/// Prepares `layer` for calling `node`: the PACS's certificate must chain to the trusted file and
/// name the host or address we call; our own certificate and key when given (they must match);
/// BCP 195 cipher suites at OpenSSL security level 2. An unreadable file is an error.
OFCondition prepareTlsLayer(DcmTLSTransportLayer &layer, const PacsNode &node);

/// `Base` (a DcmSCU) whose association runs over TLS as prepareTlsLayer sets it up.
template <class Base> class SecureScu : public Base {
public:
  template <typename... Args>
  explicit SecureScu(const PacsNode &node, Args &&...args)
      : Base(std::forward<Args>(args)...), m_node(node) {}
  /// The association ends before the layer it runs on goes.
  ~SecureScu() override {
    if (this->isConnected())
      this->abortAssociation();
  }

  OFCondition initNetwork() override {
    m_layer = std::make_unique<DcmTLSTransportLayer>(NET_REQUESTOR, nullptr, OFTrue);
    OFCondition status = prepareTlsLayer(*m_layer, m_node);
    if (status.good())
      status = Base::initNetwork();
    if (status.good())
      status = this->useSecureConnection(m_layer.get());
    return status;
  }

private:
  PacsNode m_node;
  std::unique_ptr<DcmTLSTransportLayer> m_layer;
};

} // namespace nesa::pacs::internal
