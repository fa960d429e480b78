// Test DICOM series made from pydicom's MR_small: real pixel data, geometry set by the test.
#pragma once

#include <QTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>
#include <string>
#include <vector>

namespace nesa::testing {

// Three copies of MR_small at z = 10, -5 and 2.5 in files named `names`, each marked with
// 1000 + its index in its first voxel so the order can be checked.
inline void writeShuffledSeries(const std::filesystem::path &mrSmall,
                                const std::filesystem::path &folder,
                                const std::vector<std::string> &names) {
  std::filesystem::create_directories(folder);
  const double positions[] = {10.0, -5.0, 2.5};
  for (int i = 0; i < 3; ++i) {
    DcmFileFormat format;
    QVERIFY(format.loadFile((mrSmall).c_str()).good());
    DcmDataset &data = *format.getDataset();
    QVERIFY(data.putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0").good());
    const std::string position = "0\\0\\" + std::to_string(positions[i]);
    QVERIFY(data.putAndInsertString(DCM_ImagePositionPatient, position.c_str()).good());
    Uint16 *pixels = nullptr;
    QVERIFY(data.findAndGetUint16Array(DCM_PixelData, const_cast<const Uint16 *&>(pixels)).good());
    pixels[0] = static_cast<Uint16>(1000 + i);
    const std::string uid = "1.2.826.0.1.3680043.8.498.7777." + std::to_string(i + 1);
    QVERIFY(data.putAndInsertString(DCM_SOPInstanceUID, uid.c_str()).good());
    QVERIFY(format.getMetaInfo()
                ->putAndInsertString(DCM_MediaStorageSOPInstanceUID, uid.c_str())
                .good());
    QVERIFY(format
                .saveFile((folder / names[static_cast<std::size_t>(i)]).c_str(),
                          EXS_LittleEndianExplicit)
                .good());
  }
}

} // namespace nesa::testing
