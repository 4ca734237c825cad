"""Demo programs for seed_demo: about 60 in DIY, each organisation with programs of its own kind in its own
kapanewon/kemantren, and a few in Jawa Tengah.

Finished, refused and dropped programs have fixed dates in 2024–2026; programs still on their way (draft to
running) are dated from the day of seeding, so the public catalogue and the review queues always have something
current. Deliberate overlaps for the overlap demo: the digital-marketing training of the Sleman Dinas and the
campus's online-selling workshop (March 2025), and two halal clinics in Sleman (February 2026).
Idempotent: a program is keyed by organisation and title and gets its ref once, when it is created.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone
from django_scopes import scope

from stakeholders.models import Membership, Organization, Region, Tenant, TenantRole, User

from .models import Program, ProgramEvent
from .taxonomy import Status

S = Status
DINAS_DIY = "Dinas Koperasi dan UKM DIY"
SLEMAN = "Dinas Koperasi dan UKM Kabupaten Sleman"
KAMPUS = "Universitas Contoh Yogyakarta"
FEB = "Fakultas Ekonomi dan Bisnis Universitas Contoh Yogyakarta"
PEREMPUAN_GK = "Komunitas Perempuan Wirausaha Gunungkidul"
BANTUL = "Dinas Perindustrian, Koperasi dan UKM Kabupaten Bantul"
KULON_PROGO = "Dinas Koperasi dan UKM Kabupaten Kulon Progo"
POLITEKNIK = "Politeknik Wiraswasta Bantul"
BANK = "Bank Pembangunan Daerah Contoh DIY"
BANK_WONOSARI = "Bank Pembangunan Daerah Contoh DIY Cabang Wonosari"
PASAR_DIGITAL = "PT Pasar Digital Nusantara"
WARTA = "Harian Warta Jogja"
MENOREH = "Radio Suara Menoreh"
KREATIF_KOTA = "Komunitas UMKM Kreatif Kota Yogyakarta"
KLINIK = "Klinik Bisnis Pendamping UMKM Jogja"
ASOSIASI = "Asosiasi Pendamping UMKM Mandiri DIY"
ALL_DIY = {"34.01": "", "34.02": "", "34.03": "", "34.04": "", "34.71": ""}


@dataclass
class Demo:
    """One demo program. `when` is a fixed start date, or weeks from the day of seeding (negative: started)."""

    owner: str
    title: str
    description: str
    kinds: list[str]
    sectors: list[str]
    where: dict[str, str]  # region code → kapanewon/kemantren ("" when the whole regency/city)
    when: datetime.date | int
    weeks: int
    status: str
    target: int
    budget_million: int
    funding: str
    open: bool = False
    how_to_join: str = ""
    partners: list[str] = field(default_factory=list)


D = datetime.date

# The deliberate overlaps come first so that, on a fresh database, they get the refs PRG-2025-0001/0002 and
# PRG-2026-0001/0002 the overlap demo and its documentation name.
OVERLAPS = [
    Demo(SLEMAN, "Pelatihan Pemasaran Digital bagi UMKM Kuliner",
         "Pelatihan tiga hari pemasaran lewat media sosial dan marketplace untuk usaha makanan dan minuman di "
         "Sleman: foto produk, konten pendek, iklan berbayar sederhana.",
         ["pelatihan", "digitalisasi"], ["kuliner"], {"34.04": "Depok, Ngaglik, Mlati"}, D(2025, 3, 10), 1,
         S.APPROVED, 40, 45, "apbd"),
    Demo(KAMPUS, "Workshop Jualan Online untuk Usaha Makanan",
         "Mahasiswa dan dosen mendampingi pelaku usaha kuliner Sleman membuka toko di marketplace dan mengelola "
         "pesanan daring.",
         ["pelatihan", "digitalisasi"], ["kuliner"], {"34.04": "Depok, Ngaglik"}, D(2025, 3, 1), 4,
         S.SUBMITTED, 30, 12, "hibah"),
    Demo(SLEMAN, "Klinik Sertifikasi Halal Self-Declare",
         "Pendampingan pengajuan sertifikat halal gratis skema self-declare bagi usaha mikro pangan: NIB, "
         "daftar bahan, proses produksi, verifikasi pendamping PPH.",
         ["sertifikasi", "pendampingan"], ["kuliner"], {"34.04": "Gamping, Godean"},
         D(2026, 2, 2), 8, S.SUBMITTED, 100, 60, "apbd"),
    Demo(ASOSIASI, "Pendampingan Sertifikat Halal Self-Declare untuk Usaha Pangan Sleman",
         "Pendamping proses produk halal (PPH) anggota asosiasi membantu usaha mikro pangan di Sleman menyusun "
         "dokumen dan mengajukan sertifikat halal gratis.",
         ["sertifikasi", "pendampingan"], ["kuliner"], {"34.04": "Gamping, Mlati"}, D(2026, 2, 16), 6,
         S.IN_REVIEW, 60, 30, "hibah"),
]

PROGRAMS = [
    # --- Dinas Koperasi dan UKM DIY (province-wide) ---------------------------------------------------------------
    Demo(DINAS_DIY, "Gelar Produk Unggulan UMKM DIY di Jogja Expo Center",
         "Pameran lima hari produk kuliner, kriya dan fesyen dari lima kabupaten/kota, dengan sesi temu bisnis "
         "bersama pembeli ritel dan hotel.",
         ["pemasaran"], ["kuliner", "kriya", "fesyen"], ALL_DIY, D(2024, 8, 14), 1, S.COMPLETED, 150, 350, "apbd"),
    Demo(DINAS_DIY, "Kurasi Produk UMKM untuk Gerai Oleh-oleh Bandara YIA",
         "Seleksi dan perbaikan produk oleh-oleh agar layak dipajang di gerai Bandara Internasional Yogyakarta: "
         "kemasan, label, harga dan kapasitas pasok.",
         ["pemasaran", "produksi"], ["kuliner", "kriya"], {"34.01": "Temon", "34.02": "", "34.71": ""},
         D(2025, 5, 5), 10, S.COMPLETED, 60, 180, "danais"),
    Demo(DINAS_DIY, "Pemutakhiran Profil UMKM Binaan Kabupaten/Kota",
         "Pendamping lapangan mengunjungi UMKM binaan untuk memperbarui data omzet, tenaga kerja, NIB dan "
         "kebutuhan pendampingan.",
         ["pendampingan"], ["umum"], ALL_DIY, D(2024, 2, 5), 16, S.COMPLETED, 500, 240, "apbd"),
    Demo(DINAS_DIY, "Inkubasi Wirausaha Muda Istimewa",
         "Inkubasi enam bulan bagi wirausaha muda usia 18–35 tahun: kelas bisnis, mentor, dan hibah modal awal "
         "bagi lulusan terbaik.",
         ["pelatihan", "pendampingan", "pembiayaan"], ["umum"], ALL_DIY, 10, 26, S.SUBMITTED, 100, 750, "danais"),
    Demo(DINAS_DIY, "Fasilitasi Sertifikasi SNI Kerajinan Tujuan Ekspor",
         "Pendampingan uji produk dan sertifikasi SNI untuk perajin gerabah, kayu dan perak yang menyiapkan "
         "pengiriman ekspor.",
         ["sertifikasi"], ["kriya"], {"34.02": "Kasihan, Pajangan", "34.71": "Kotagede"}, 6, 16, S.IN_REVIEW,
         40, 200, "apbd"),
    # --- Dinas Koperasi dan UKM Kabupaten Sleman ------------------------------------------------------------------
    Demo(SLEMAN, "Sekolah Salak Pondoh: Olahan dan Kemasan untuk Pasar Modern",
         "Petani dan pengolah salak pondoh belajar membuat dodol, keripik dan sirup salak yang tahan lama, "
         "lengkap dengan kemasan untuk toko modern.",
         ["produksi", "pelatihan"], ["agribisnis", "kuliner"], {"34.04": "Turi, Tempel"}, D(2024, 6, 3), 6,
         S.COMPLETED, 35, 85, "apbd"),
    Demo(SLEMAN, "Temu Bisnis Jamur dan Susu Segar Lereng Merapi",
         "Mempertemukan kelompok petani jamur tiram dan peternak sapi perah Cangkringan–Pakem dengan hotel, "
         "restoran dan katering.",
         ["pemasaran"], ["agribisnis"], {"34.04": "Cangkringan, Pakem"}, D(2026, 9, 14), 1, S.COMPLETED, 30, 40,
         "apbd"),
    Demo(SLEMAN, "Klinik Legalitas Usaha Keliling Kapanewon Sleman Barat",
         "Petugas OSS dan dinas kesehatan membuka layanan NIB dan P-IRT di balai kapanewon secara bergiliran; "
         "pelaku usaha cukup membawa KTP dan contoh produk.",
         ["legalitas"], ["umum", "kuliner"], {"34.04": "Godean, Seyegan, Minggir, Moyudan"}, -3, 12, S.RUNNING,
         200, 35, "apbd", open=True,
         how_to_join="Datang ke balai kapanewon sesuai jadwal keliling (diumumkan di Instagram Dinas) dengan "
                     "membawa KTP, nomor HP aktif dan contoh produk."),
    Demo(SLEMAN, "Penguatan Koperasi Pengelola Wisata Lereng Merapi",
         "Pembentukan koperasi bersama bagi pengelola jip wisata, homestay dan warung di kawasan wisata Merapi.",
         ["kelembagaan", "pendampingan"], ["pariwisata"], {"34.04": "Cangkringan"}, 14, 20, S.DRAFT, 25, 70,
         "apbd"),
    # --- Universitas Contoh Yogyakarta --------------------------------------------------------------------------
    Demo(KAMPUS, "KKN Tematik Digitalisasi Pasar Tradisional",
         "Mahasiswa KKN membantu pedagang Pasar Kranggan dan Pasar Condongcatur memasang QRIS dan mencatat "
         "penjualan harian di aplikasi.",
         ["digitalisasi"], ["perdagangan"], {"34.71": "Jetis", "34.04": "Depok"}, D(2024, 7, 1), 8,
         S.COMPLETED, 80, 25, "lainnya"),
    Demo(KAMPUS, "Riset Aksi Pengawetan Gudeg Kaleng",
         "Dosen teknologi pangan dan produsen gudeg Wijilan menguji sterilisasi kaleng agar gudeg tahan setahun "
         "tanpa pengawet.",
         ["produksi"], ["kuliner"], {"34.71": "Kraton, Gondomanan"}, D(2025, 1, 13), 20, S.COMPLETED, 12, 150,
         "hibah"),
    Demo(KAMPUS, "Magang Mahasiswa di Bengkel Perak Kotagede",
         "Mahasiswa desain magang tiga bulan di bengkel perak untuk merancang koleksi baru bersama perajin.",
         ["pendampingan", "produksi"], ["kriya"], {"34.71": "Kotagede"}, 8, 12, S.NEEDS_REVISION, 15, 30,
         "hibah"),
    Demo(KAMPUS, "Kelas Keuangan Sederhana untuk Warung Kelontong",
         "Empat pertemuan: memisahkan uang usaha dan pribadi, mencatat stok, menghitung laba, dan menyiapkan "
         "pengajuan kredit.",
         ["pelatihan", "pembiayaan"], ["perdagangan"], {"34.04": "Depok, Mlati"}, 4, 4, S.APPROVED, 40, 18,
         "hibah", open=True,
         how_to_join="Isi formulir pendaftaran di situs LPPM universitas atau datang ke Klinik UMKM kampus "
                     "(Senin–Jumat, 09.00–15.00)."),
    # --- Komunitas Perempuan Wirausaha Gunungkidul -------------------------------------------------------------
    Demo(PEREMPUAN_GK, "Arisan Belajar Olahan Tiwul dan Gaplek Kekinian",
         "Pertemuan arisan bulanan sekaligus kelas membuat tiwul instan, brownies gaplek dan kemasan siap jual.",
         ["pelatihan", "produksi"], ["kuliner"], {"34.03": "Wonosari, Playen"}, D(2024, 10, 7), 8, S.COMPLETED,
         30, 8, "swadaya"),
    Demo(PEREMPUAN_GK, "Dapur Bersama Olahan Hasil Laut Pesisir Tepus",
         "Dapur produksi bersama untuk ibu-ibu nelayan: abon ikan, kerupuk rumput laut dan peyek udang dengan "
         "standar kebersihan P-IRT.",
         ["produksi"], ["perikanan", "kuliner"], {"34.03": "Tepus, Tanjungsari"}, D(2026, 4, 6), 12,
         S.COMPLETED, 25, 60, "hibah"),
    Demo(PEREMPUAN_GK, "Kelompok Simpan Pinjam Perempuan Pengusaha Semanu",
         "Membentuk dan mendampingi kelompok simpan pinjam bagi perempuan pelaku usaha mikro, dengan pembukuan "
         "kelompok yang rapi.",
         ["pembiayaan", "kelembagaan"], ["umum"], {"34.03": "Semanu, Karangmojo"}, -6, 26, S.RUNNING, 60, 15,
         "swadaya", open=True,
         how_to_join="Datang ke pertemuan kelompok setiap Sabtu kedua di Balai Kalurahan Semanu, atau hubungi "
                     "narahubung lewat WhatsApp."),
    Demo(PEREMPUAN_GK, "Jualan Online untuk Perajin Topeng Kayu Bobung",
         "Kelas memotret topeng dan kerajinan kayu Bobung serta membuka toko di marketplace.",
         ["digitalisasi"], ["kriya"], {"34.03": "Patuk"}, 12, 3, S.DRAFT, 20, 6, "swadaya"),
    # --- Fakultas Ekonomi dan Bisnis --------------------------------------------------------------------------
    Demo(FEB, "Klinik Bisnis Mahasiswa: Rencana Usaha dan Harga Pokok",
         "Mahasiswa tingkat akhir didampingi dosen membantu UMKM menyusun rencana usaha dan menghitung harga "
         "pokok produksi.",
         ["pendampingan"], ["umum"], {"34.71": "", "34.04": "Depok"}, D(2024, 3, 4), 12, S.COMPLETED, 50, 20,
         "lainnya"),
    Demo(FEB, "Pelatihan Laporan Keuangan SAK EMKM untuk Pengajuan Kredit",
         "Pelatihan menyusun neraca dan laba rugi sesuai SAK EMKM sebagai syarat pengajuan KUR.",
         ["pelatihan", "pembiayaan"], ["umum"], {"34.71": "Umbulharjo"}, D(2026, 7, 6), 4, S.COMPLETED, 35, 15,
         "lainnya", partners=[BANK]),
    Demo(FEB, "Pendampingan Merek untuk Kedai Kopi Lokal Seturan",
         "Riset pelanggan dan penyusunan identitas merek bagi kedai kopi rumahan di sekitar kampus.",
         ["pemasaran", "pendampingan"], ["kuliner"], {"34.04": "Depok"}, 6, 10, S.SUBMITTED, 20, 12, "hibah"),
    # --- Dinas Perindustrian, Koperasi dan UKM Kabupaten Bantul -----------------------------------------------
    Demo(BANTUL, "Revitalisasi Sentra Gerabah Kasongan",
         "Perbaikan tungku bersama, pelatihan glasir dan desain produk gerabah untuk pasar dekorasi rumah.",
         ["produksi", "pemasaran"], ["kriya"], {"34.02": "Kasihan"}, D(2024, 5, 6), 16, S.COMPLETED, 45, 300,
         "dak"),
    Demo(BANTUL, "Pelatihan Pewarna Alam Batik Tulis Giriloyo",
         "Perajin batik tulis Giriloyo belajar mengolah indigo, tingi dan jalawe menjadi warna yang stabil.",
         ["pelatihan", "produksi"], ["fesyen", "kriya"], {"34.02": "Imogiri"}, D(2025, 4, 14), 3, S.COMPLETED,
         30, 45, "apbd"),
    Demo(BANTUL, "Fasilitasi Merek Kerajinan Kulit Manding",
         "Pendaftaran merek (HKI) ke DJKI bagi perajin tas, sepatu dan jaket kulit di sentra Manding.",
         ["sertifikasi", "legalitas"], ["kriya", "fesyen"], {"34.02": "Bantul"}, D(2026, 3, 2), 12,
         S.COMPLETED, 40, 55, "apbd"),
    Demo(BANTUL, "Temu Bisnis Emping Melinjo dan Mete dengan Ritel Modern",
         "Produsen emping melinjo dan kacang mete bertemu pembeli jaringan swalayan: kurasi, harga dan syarat "
         "pasok.",
         ["pemasaran"], ["kuliner", "agribisnis"], {"34.02": "Pleret, Dlingo"}, 5, 1, S.IN_REVIEW, 35, 40, "apbd"),
    Demo(BANTUL, "Bimbingan Teknis Kemasan Keripik dan Peyek Bantul",
         "Desain ulang kemasan, label gizi dan tanggal kedaluwarsa untuk produsen keripik dan peyek rumahan.",
         ["produksi", "pelatihan"], ["kuliner"], {"34.02": "Sewon, Banguntapan"}, 3, 2, S.APPROVED, 30, 38, "apbd",
         open=True,
         how_to_join="Daftar di kantor Dinas Perindustrian, Koperasi dan UKM Bantul (Jl. Lingkar Timur) atau "
                     "lewat narahubung; bawa contoh kemasan lama."),
    Demo(BANTUL, "Bantuan Alat Produksi Batik Kayu Krebet",
         "Pengadaan alat ukir dan kompor batik untuk perajin batik kayu Krebet.",
         ["produksi"], ["kriya"], {"34.02": "Pajangan"}, D(2025, 8, 4), 4, S.REJECTED, 25, 120, "apbd"),
    # --- Dinas Koperasi dan UKM Kabupaten Kulon Progo ---------------------------------------------------------
    Demo(KULON_PROGO, "Bela-Beli Kulon Progo: Produk Lokal di Toko Modern",
         "Produk UMKM Kulon Progo mengisi rak khusus di toko modern berjejaring di Wates dan Pengasih.",
         ["pemasaran"], ["kuliner", "perdagangan"], {"34.01": "Wates, Pengasih"}, D(2024, 4, 1), 24,
         S.COMPLETED, 70, 90, "apbd"),
    Demo(KULON_PROGO, "Pelatihan Batik Geblek Renteng bagi Pemuda Desa",
         "Pelatihan membatik motif khas Kulon Progo untuk pemuda desa, dari mencanting hingga menjual kain.",
         ["pelatihan"], ["fesyen", "kriya"], {"34.01": "Lendah, Galur"}, D(2025, 2, 10), 4, S.COMPLETED, 30, 35,
         "apbd"),
    Demo(KULON_PROGO, "Sertifikasi Organik Gula Semut Kokap",
         "Pendampingan kelompok penderes kelapa di Kokap menuju sertifikat organik untuk gula semut ekspor.",
         ["sertifikasi", "pendampingan"], ["agribisnis", "kuliner"], {"34.01": "Kokap"}, D(2026, 1, 12), 20,
         S.COMPLETED, 45, 110, "dak"),
    Demo(KULON_PROGO, "Klinik Ekspor Kopi dan Teh Menoreh",
         "Konsultasi mingguan bagi pengolah kopi dan teh Perbukitan Menoreh: mutu biji, dokumen ekspor dan "
         "kontak pembeli.",
         ["pemasaran", "pendampingan"], ["agribisnis"], {"34.01": "Samigaluh, Girimulyo, Kalibawang"}, -2, 10,
         S.RUNNING, 25, 50, "apbd", open=True,
         how_to_join="Datang ke Klinik Ekspor di Pasar Hewan Samigaluh setiap Rabu, atau daftar lewat narahubung."),
    Demo(KULON_PROGO, "Festival Durian Menoreh dan Produk Turunannya",
         "Festival tahunan durian dan olahannya di Kalibawang.",
         ["pemasaran"], ["agribisnis", "pariwisata"], {"34.01": "Kalibawang"}, D(2025, 1, 20), 1, S.CANCELLED,
         50, 75, "apbd"),
    # --- Politeknik Wiraswasta Bantul -------------------------------------------------------------------------
    Demo(POLITEKNIK, "Teknologi Pengering untuk Gula Semut dan Jahe Instan",
         "Rancang bangun dan serah terima alat pengering hemat energi untuk kelompok produsen, dengan pelatihan "
         "perawatannya.",
         ["produksi"], ["kuliner", "agribisnis"], {"34.01": "Kokap", "34.02": "Dlingo"}, D(2024, 9, 2), 10,
         S.COMPLETED, 12, 95, "hibah"),
    Demo(POLITEKNIK, "Uji Umur Simpan dan Label Gizi Pangan Olahan",
         "Laboratorium politeknik menguji umur simpan dan kandungan gizi produk pangan olahan UMKM.",
         ["produksi", "sertifikasi"], ["kuliner"], {"34.02": "Sewon", "34.01": "Wates"}, D(2026, 8, 3), 8,
         S.COMPLETED, 40, 60, "hibah"),
    Demo(POLITEKNIK, "Kemasan Ramah Lingkungan untuk Gerabah Pundong",
         "Merancang kemasan dari serat pisang dan kardus daur ulang agar gerabah aman dikirim jauh.",
         ["produksi"], ["kriya"], {"34.02": "Pundong"}, 9, 8, S.DRAFT, 15, 20, "hibah"),
    Demo(POLITEKNIK, "Pelatihan Mesin Pengemas Vakum untuk Olahan Ikan Pantai Selatan",
         "Praktik langsung mengemas ikan asap, abon dan bandeng presto dengan mesin vakum di bengkel politeknik.",
         ["produksi", "pelatihan"], ["perikanan"], {"34.02": "Sanden, Kretek", "34.01": "Galur"}, 5, 2,
         S.APPROVED, 24, 30, "hibah", open=True,
         how_to_join="Kirim nama usaha dan jenis olahan ikan lewat WhatsApp narahubung; kuota 24 peserta."),
    # --- Bank Pembangunan Daerah Contoh DIY -------------------------------------------------------------------
    Demo(BANK, "Literasi Keuangan dan Rekening Usaha Pedagang Beringharjo",
         "Petugas bank membuka meja layanan di pasar: rekening usaha, tabungan harian dan pengenalan KUR.",
         ["pembiayaan", "digitalisasi"], ["perdagangan"], {"34.71": "Gondomanan"}, D(2024, 11, 4), 2,
         S.COMPLETED, 150, 40, "csr"),
    Demo(BANK, "Fasilitasi KUR Klaster Perak Kotagede",
         "Analis kredit mendampingi perajin perak menyiapkan dokumen dan agunan untuk KUR klaster.",
         ["pembiayaan"], ["kriya"], {"34.71": "Kotagede"}, D(2025, 6, 2), 12, S.COMPLETED, 40, 25, "csr"),
    Demo(BANK, "Gebyar QRIS Pedagang Pasar Tradisional se-DIY",
         "Pemasangan QRIS gratis, pelatihan membaca mutasi dan undian bagi pedagang yang aktif bertransaksi.",
         ["digitalisasi", "pembiayaan"], ["perdagangan", "kuliner"], ALL_DIY, -4, 16, S.RUNNING, 1000, 250, "csr",
         open=True,
         how_to_join="Datang ke meja Gebyar QRIS di kantor pengelola pasar, atau ke kantor cabang terdekat dengan "
                     "membawa KTP dan NIB bila ada."),
    Demo(BANK, "Kredit Bergulir Kelompok Tani Muda",
         "Dana bergulir bagi kelompok tani muda untuk benih dan pupuk, dengan pendampingan pembukuan.",
         ["pembiayaan"], ["agribisnis"], {"34.04": "Sleman", "34.02": "Srandakan"}, D(2025, 3, 3), 26,
         S.WITHDRAWN, 30, 300, "csr"),
    Demo(BANK_WONOSARI, "Pendampingan Pembukuan Calon Debitur KUR Gunungkidul",
         "Pendampingan dua bulan mencatat transaksi harian agar usaha layak mendapat KUR.",
         ["pembiayaan", "pendampingan"], ["umum"], {"34.03": "Wonosari, Playen, Semanu"}, D(2026, 5, 4), 8,
         S.COMPLETED, 50, 20, "csr"),
    Demo(BANK_WONOSARI, "Klinik Keuangan Pelaku Wisata Pantai Gunungkidul",
         "Konsultasi keuangan bagi pemilik warung, penyewaan tikar dan homestay di pantai selatan.",
         ["pembiayaan", "pendampingan"], ["pariwisata"], {"34.03": "Tepus, Tanjungsari, Saptosari"}, 7, 8,
         S.SUBMITTED, 40, 18, "csr"),
    # --- PT Pasar Digital Nusantara --------------------------------------------------------------------------
    Demo(PASAR_DIGITAL, "Onboarding Toko Daring untuk Penjual Bakpia Pathok",
         "Tim kemitraan membantu produsen bakpia membuka toko daring, mengatur ongkos kirim dan kemasan tahan "
         "perjalanan.",
         ["digitalisasi", "pemasaran"], ["kuliner"], {"34.71": "Ngampilan"}, D(2024, 8, 5), 4, S.COMPLETED, 40,
         30, "csr"),
    Demo(PASAR_DIGITAL, "Kampanye Belanja Produk Lokal Jogja Akhir Tahun",
         "Halaman kampanye khusus, voucer ongkos kirim dan pelatihan promosi bagi UMKM Jogja selama musim "
         "belanja akhir tahun.",
         ["pemasaran", "digitalisasi"], ["fesyen", "kriya", "kuliner"], {"34.71": "", "34.04": ""},
         D(2025, 11, 24), 3, S.COMPLETED, 200, 150, "csr"),
    Demo(PASAR_DIGITAL, "Akademi Live Shopping untuk UMKM Fesyen Muslim",
         "Kelas praktik siaran langsung berjualan: naskah, pencahayaan ponsel, dan mengelola pesanan setelah "
         "siaran.",
         ["pelatihan", "digitalisasi"], ["fesyen"], {"34.04": "Gamping, Godean", "34.71": ""}, 2, 3, S.APPROVED,
         50, 45, "csr", open=True,
         how_to_join="Daftar lewat tautan di akun media sosial PT Pasar Digital Nusantara; peserta wajib sudah "
                     "punya toko daring."),
    # --- Harian Warta Jogja -----------------------------------------------------------------------------------
    Demo(WARTA, "Liputan Berseri UMKM Naik Kelas",
         "Satu halaman tiap Sabtu selama setengah tahun untuk kisah UMKM pilihan, lengkap dengan iklan gratis.",
         ["pemasaran"], ["umum"], {"34.71": "", "34.04": "", "34.02": ""}, D(2024, 1, 8), 26, S.COMPLETED, 26, 60,
         "swadaya"),
    Demo(WARTA, "Pelatihan Menulis Cerita Merek untuk Pelaku UMKM",
         "Redaktur mengajarkan cara menulis kisah usaha dan siaran pers yang dilirik media.",
         ["pelatihan", "pemasaran"], ["umum"], {"34.71": ""}, D(2026, 8, 17), 2, S.COMPLETED, 30, 10, "swadaya"),
    Demo(WARTA, "Anugerah UMKM Inspiratif Jogja",
         "Penghargaan tahunan dengan kurasi juri bagi UMKM yang tumbuh dan melibatkan warga sekitar.",
         ["pemasaran"], ["umum"], {"34.71": "", "34.04": "", "34.02": ""}, 16, 8, S.IN_REVIEW, 30, 80, "csr"),
    # --- Radio Suara Menoreh ----------------------------------------------------------------------------------
    Demo(MENOREH, "Bincang Usaha: Kisah Perajin Anyaman Pandan",
         "Siaran bincang mingguan bersama perajin anyaman pandan dan bambu dari Sentolo dan Nanggulan.",
         ["pemasaran"], ["kriya"], {"34.01": "Sentolo, Nanggulan"}, D(2024, 6, 10), 12, S.COMPLETED, 12, 6,
         "swadaya"),
    Demo(MENOREH, "Lapak Udara: Promosi Gratis Produk Desa",
         "Slot iklan gratis tiga kali sehari bagi produk desa Kulon Progo, diselingi wawancara pemilik usaha.",
         ["pemasaran"], ["kuliner", "kriya", "agribisnis"], {"34.01": ""}, 1, 12, S.APPROVED, 48, 12, "swadaya",
         open=True,
         how_to_join="Kirim contoh produk dan nomor WhatsApp ke studio Radio Suara Menoreh di Wates; jadwal "
                     "siaran dikabari lewat telepon."),
    Demo(MENOREH, "Pelatihan Podcast untuk Pengelola Desa Wisata",
         "Pelatihan membuat siniar promosi desa wisata.",
         ["pelatihan", "digitalisasi"], ["pariwisata"], {"34.01": "Girimulyo"}, D(2026, 5, 4), 2, S.REJECTED, 20,
         15, "swadaya"),
    # --- Komunitas UMKM Kreatif Kota Yogyakarta -----------------------------------------------------------------
    Demo(KREATIF_KOTA, "Kelas Foto Produk dengan Ponsel",
         "Kelas akhir pekan memotret produk kriya dan fesyen dengan ponsel dan cahaya jendela.",
         ["pelatihan", "digitalisasi"], ["fesyen", "kriya"], {"34.71": "Gondokusuman"}, D(2024, 2, 17), 1,
         S.COMPLETED, 25, 3, "swadaya"),
    Demo(KREATIF_KOTA, "Pasar Kreatif Kampung Wisata Prawirotaman",
         "Pasar akhir pekan produk kriya dan fesyen lokal di kampung wisata, bekerja sama dengan pengelola "
         "kampung.",
         ["pemasaran"], ["kriya", "fesyen"], {"34.71": "Mergangsan"}, D(2026, 6, 13), 2, S.COMPLETED, 40, 18,
         "swadaya"),
    Demo(KREATIF_KOTA, "Ruang Kerja Bersama Perajin Muda Kotagede",
         "Menyewa dan mengelola bengkel bersama bagi perajin muda perak dan kulit yang belum punya tempat.",
         ["kelembagaan"], ["kriya"], {"34.71": "Kotagede"}, 10, 24, S.NEEDS_REVISION, 15, 90, "hibah"),
    Demo(KREATIF_KOTA, "Mentoring Sebaya Desain Produk Fesyen Lokal",
         "Pelaku fesyen yang sudah mapan membimbing merek baru: pola, bahan, harga dan koleksi pertama.",
         ["pendampingan", "produksi"], ["fesyen"], {"34.71": "Wirobrajan, Mantrijeron"}, -1, 8, S.RUNNING, 20, 5,
         "swadaya", open=True,
         how_to_join="Isi formulir singkat di akun Instagram komunitas; mentor akan menghubungi dalam seminggu."),
    # --- Klinik Bisnis Pendamping UMKM Jogja ------------------------------------------------------------------
    Demo(KLINIK, "Konsultasi Bisnis Gratis Setiap Kamis",
         "Konsultan klinik menerima pelaku UMKM setiap Kamis: pembukuan, pemasaran, legalitas.",
         ["pendampingan"], ["umum"], {"34.71": "", "34.04": "", "34.02": ""}, D(2024, 1, 4), 50, S.COMPLETED, 200,
         30, "hibah"),
    Demo(KLINIK, "Fasilitasi Sertifikasi Halal Gratis untuk Produsen Bakpia dan Gudeg",
         "Pendamping PPH membantu produsen bakpia, gudeg dan jajanan pasar di Kota Yogyakarta mengurus "
         "sertifikat halal gratis (self-declare): NIB, daftar bahan, foto proses produksi, sampai sertifikat "
         "terbit.",
         ["sertifikasi", "pendampingan"], ["kuliner"], {"34.71": "Ngampilan, Gondomanan, Kraton"}, 3, 8,
         S.APPROVED, 60, 24, "hibah", open=True,
         how_to_join="Telepon atau WhatsApp narahubung, atau datang ke kantor klinik (Jl. Bhayangkara, Ngampilan) "
                     "dengan KTP dan NIB; belum punya NIB akan dibantu."),
    Demo(KLINIK, "Pendampingan NIB dan P-IRT Usaha Rumahan Banguntapan",
         "Pendampingan dari rumah ke rumah agar usaha makanan rumahan memiliki NIB dan izin P-IRT.",
         ["legalitas", "pendampingan"], ["kuliner"], {"34.02": "Banguntapan"}, 4, 8, S.SUBMITTED, 50, 16, "hibah"),
    # --- Asosiasi Pendamping UMKM Mandiri DIY -----------------------------------------------------------------
    Demo(ASOSIASI, "Sertifikasi Pendamping UMKM Angkatan 2024",
         "Pelatihan dan uji kompetensi pendamping UMKM (business development services) dari lima kabupaten/kota.",
         ["pelatihan", "kelembagaan"], ["umum"], ALL_DIY, D(2024, 9, 16), 6, S.COMPLETED, 40, 70, "apbn"),
    Demo(ASOSIASI, "Pendampingan Klaster Minapolitan Minggir",
         "Pendampingan kelompok pembudidaya ikan nila dan pengolahnya menjadi satu klaster usaha.",
         ["pendampingan", "kelembagaan"], ["perikanan"], {"34.04": "Minggir, Seyegan"}, 11, 24, S.DRAFT, 30, 40,
         "apbn"),
    Demo(ASOSIASI, "Pendampingan Desa Wisata Nglanggeran Menuju Standar CHSE",
         "Pendamping membantu pengelola homestay dan kuliner desa wisata memenuhi standar kebersihan, kesehatan, "
         "keselamatan dan kelestarian lingkungan.",
         ["sertifikasi", "pendampingan"], ["pariwisata"], {"34.03": "Patuk"}, 8, 12, S.SUBMITTED, 25, 45, "apbn",
         partners=[PEREMPUAN_GK]),
    # --- Added last, so the refs above stay as documented: two more programs waiting for the Sleman forum, one of
    # them overlapping the faculty's coffee-shop branding program, also waiting (same kind, sector, area and weeks).
    Demo(PASAR_DIGITAL, "Kelas Branding dan Foto Produk untuk Kedai Kopi Depok",
         "Tim kemitraan mendampingi kedai kopi rumahan di Depok menyusun identitas merek, memotret menu dan "
         "membuka toko daring untuk pesan antar.",
         ["pemasaran", "pendampingan"], ["kuliner"], {"34.04": "Depok"}, 13, 4, S.SUBMITTED, 25, 20, "csr"),
    Demo(ASOSIASI, "Pendampingan Homestay Desa Wisata Pentingsari",
         "Pendamping asosiasi membantu pemilik homestay di Pentingsari menata kamar, tarif, pemesanan daring dan "
         "pembukuan sederhana menjelang musim libur.",
         ["pendampingan"], ["pariwisata"], {"34.04": "Cangkringan"}, 9, 10, S.SUBMITTED, 20, 25, "apbn"),
]

JATENG = [
    Demo("", "Pelatihan Batik Tulis Surakarta", "Pelatihan teknik batik tulis dan pewarnaan alam di Laweyan.",
         ["pelatihan"], ["kriya"], {"33.72": "Laweyan"}, D(2025, 6, 2), 4, S.COMPLETED, 30, 40, "apbd"),
    Demo("", "Temu Bisnis Mebel dan Rotan Sukoharjo", "Temu bisnis perajin mebel dan rotan dengan pembeli luar "
         "negeri.", ["pemasaran"], ["kriya"], {"33.11": ""}, 6, 1, S.APPROVED, 40, 60, "apbd", open=True),
]

# The route a program took to reach a status, for its event log; forum decisions are marked as such.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.IN_REVIEW: [S.SUBMITTED, S.IN_REVIEW],
    S.NEEDS_REVISION: [S.SUBMITTED, S.IN_REVIEW, S.NEEDS_REVISION],
    S.APPROVED: [S.SUBMITTED, S.IN_REVIEW, S.APPROVED],
    S.RUNNING: [S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.RUNNING],
    S.COMPLETED: [S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.RUNNING, S.COMPLETED],
    S.REJECTED: [S.SUBMITTED, S.IN_REVIEW, S.REJECTED],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
    S.CANCELLED: [S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.CANCELLED],
}
FORUM_DECISIONS = {S.APPROVED, S.NEEDS_REVISION, S.REJECTED}
REASONS = {
    S.APPROVED: "Disetujui rapat Forum Koordinasi.",
    S.NEEDS_REVISION: "Forum meminta target peserta dan wilayah sasaran diperjelas.",
    S.REJECTED: "Forum menilai program tumpang tindih dengan program lain di wilayah yang sama.",
    S.WITHDRAWN: "Ditarik oleh lembaga: anggaran dialihkan.",
    S.CANCELLED: "Dibatalkan karena lokasi acara tidak tersedia.",
}


def _start(demo: Demo, today: datetime.date) -> datetime.date:
    if isinstance(demo.when, datetime.date):
        return demo.when
    return today + datetime.timedelta(weeks=demo.when)


def _people(tenant) -> dict[int, User]:
    """The person each organisation puts forward as contact: its first staff member, else its first admin."""
    people: dict[int, User] = {}
    for m in Membership.objects.filter(tenant=tenant).select_related("user").order_by("-role", "pk"):
        people.setdefault(m.organization_id, m.user)  # "staff" sorts after "admin": -role puts staff first
    return people


def _program(tenant, demo: Demo, owner: Organization, contact: User | None, decider: User | None,
             today: datetime.date, rng: random.Random) -> tuple[Program, bool]:
    start = _start(demo, today)
    end = start + datetime.timedelta(weeks=demo.weeks) - datetime.timedelta(days=1)
    program = Program.objects.filter(tenant=tenant, owner=owner, title=demo.title).first()
    if program is not None:
        return program, False
    deadline = None
    if demo.open:
        # A program not started yet closes registration a few days before; a running one takes people for a while.
        deadline = start - datetime.timedelta(days=5) if start > today else today + datetime.timedelta(weeks=2)
    subregions = ", ".join(s for s in demo.where.values() if s)
    program = Program(
        tenant=tenant, owner=owner, title=demo.title, description=demo.description, kinds=demo.kinds,
        sectors=demo.sectors, subregions=subregions, start_date=start, end_date=end, target_umkm=demo.target,
        budget_idr=demo.budget_million * 1_000_000, funding_source=demo.funding, open_for_participants=demo.open,
        registration_deadline=deadline,
        how_to_join=demo.how_to_join or ("Hubungi narahubung untuk mendaftar." if demo.open else ""),
        contact_name=contact.full_name if contact else "", contact_email=contact.email if contact else "",
        contact_phone=f"08{rng.choice([12, 13, 21, 52, 57, 77, 81])}-{rng.randint(1000, 9999)}-"
                      f"{rng.randint(1000, 9999)}",
        status=demo.status, version=1 + len(PATHS[demo.status]), created_by=contact,
    )
    program.ref = Program.next_ref(tenant, start.year)
    program.save()
    program.regions.set(Region.objects.filter(tenant=tenant, code__in=list(demo.where)))
    if demo.partners:
        program.partners.set(Organization.objects.filter(tenant=tenant, name__in=demo.partners))
    frm = S.DRAFT
    for to in PATHS[demo.status]:
        by_forum = to in FORUM_DECISIONS
        ProgramEvent.objects.create(
            tenant=tenant, program=program, from_status=frm, to_status=to, by=decider if by_forum else contact,
            by_forum=by_forum, at=_event_time(to, start, end), reason=REASONS.get(to, ""),
        )
        frm = to
    return program, True


def _event_time(to: str, start: datetime.date, end: datetime.date) -> datetime.datetime:
    """When a demo program plausibly reached `to`: submitted ten weeks before its start, decided six weeks
    before, running from its start, completed the day after its end — never later than now."""
    day = {
        S.SUBMITTED: start - datetime.timedelta(weeks=10), S.IN_REVIEW: start - datetime.timedelta(weeks=8),
        S.RUNNING: start, S.COMPLETED: end + datetime.timedelta(days=1),
    }.get(to, start - datetime.timedelta(weeks=6))
    at = datetime.datetime.combine(day, datetime.time(9), datetime.UTC)
    return min(at, timezone.now() - datetime.timedelta(hours=1))


def demo_programs(tenant: Tenant):
    """This demo's own DIY programs (keyed by organisation and title), not programs typed in or made by the load
    benchmark: other demos seed into these, so a big database does not make seed_demo slow."""
    keys = {(demo.owner, demo.title) for demo in OVERLAPS + PROGRAMS}
    candidates = Program.objects.filter(tenant=tenant, title__in={title for _owner, title in keys})
    pks = [pk for pk, owner, title in candidates.values_list("pk", "owner__name", "title") if (owner, title) in keys]
    return Program.objects.filter(pk__in=pks)


def seed(tenants: dict[str, Tenant]) -> None:
    rng = random.Random(2026)  # noqa: S311 - the same demo every time, not security
    today = timezone.localdate()
    diy = tenants["diy"]
    with scope(tenant=diy):
        orgs = {o.name: o for o in Organization.objects.filter(tenant=diy)}
        people = _people(diy)
        # Forum decisions in the demo are recorded by the provincial Dinas admin.
        decider = User.objects.filter(tenant_roles__tenant=diy, tenant_roles__role=TenantRole.Role.ADMIN).first()
        created = [_program(diy, demo, orgs[demo.owner], people.get(orgs[demo.owner].pk), decider, today, rng)[1]
                   for demo in OVERLAPS + PROGRAMS]

    jateng = tenants["jateng"]
    with scope(tenant=jateng):
        owner = Organization.objects.filter(tenant=jateng).order_by("name").first()
        if owner is not None:
            contact = _people(jateng).get(owner.pk)
            created += [_program(jateng, demo, owner, contact, None, today, rng)[1] for demo in JATENG]

    # Flags are computed once, when the programs are new. A later run must not recompute them: by then the UMKM
    # demo has enrolled businesses, which would add flags and break "a second run changes no counts".
    if any(created):
        from .overlap_demo import seed as seed_overlaps

        seed_overlaps(tenants)
