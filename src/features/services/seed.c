/* services seed: the Disdukcapil (adminduk) catalogue of domain.md §2, created by `layan init`
 * and offered at the Disdukcapil office and every kecamatan service point, each with a first,
 * not yet stipulated standard (units stipulate and edit their own) and a maklumat.
 * This is content in Indonesian, as offices write it, not interface text: units edit it. */
#include <string.h>

#include "features/services/services.h"

typedef struct {
    const char *doc_type, *label;
    bool required, original;
    const char *cond, *cond_label;
} req_def;

typedef struct {
    const char *code, *datatype, *label, *description, *choices;
    bool required;
} field_def;

typedef struct {
    svc_def d;
    int time_limit;
    const char *time_unit, *product;
    req_def reqs[8];
    field_def fields[5];
} seed_service;

static const char *const ev_usia17_kawin[] = {"usia-17", "menikah", NULL};
static const char *const ev_hilang[] = {"kehilangan-dokumen", NULL};
static const char *const ev_ubah[] = {"perubahan-data", "menikah", NULL};
static const char *const ev_pindah[] = {"pindah-rumah", NULL};
static const char *const ev_kk_baru[] = {"menikah", "perceraian", NULL};
static const char *const ev_kk_ubah[] = {"anak-lahir", "kematian", "perubahan-data", NULL};
static const char *const ev_lahir[] = {"anak-lahir", NULL};
static const char *const ev_mati[] = {"kematian", NULL};
static const char *const ev_kawin[] = {"menikah", NULL};
static const char *const ev_cerai[] = {"perceraian", NULL};

#define KK_ASLI                                                                                    \
    {                                                                                              \
        "kk", "Kartu Keluarga (KK)", true, true, NULL, NULL                                        \
    }
#define KTP_ASLI                                                                                   \
    {                                                                                              \
        "ktp-el", "KTP-el", true, true, NULL, NULL                                                 \
    }
#define F_ALASAN_HR                                                                                \
    {                                                                                              \
        "alasan", "singlevaluelist", "Alasan penggantian", NULL, "hilang=Hilang\nrusak=Rusak",     \
            true                                                                                   \
    }

static const seed_service catalogue[] = {
    {{"ktp-baru", "disdukcapil", "KTP-el baru",
      "Perekaman dan pencetakan KTP-el pertama kali, untuk yang sudah berusia 17 tahun atau sudah "
      "/ pernah menikah.",
      "adminduk", true, 10, ev_usia17_kawin},
     1,
     "days",
     "KTP-el",
     {KK_ASLI,
      {"buku-nikah", "Buku nikah / akta perkawinan", false, true, "married",
       "Jika belum berusia 17 tahun tetapi sudah / pernah menikah"}},
     {{0}}},
    {{"ktp-ganti", "disdukcapil", "KTP-el hilang atau rusak",
      "Penggantian KTP-el yang hilang atau rusak.", "adminduk", true, 11, ev_hilang},
     1,
     "days",
     "KTP-el pengganti",
     {KK_ASLI,
      {"surat-kehilangan", "Surat keterangan kehilangan dari kepolisian", false, true, "lost",
       "Jika KTP-el hilang"},
      {"ktp-rusak", "KTP-el yang rusak", false, true, "damaged", "Jika KTP-el rusak"}},
     {F_ALASAN_HR}},
    {{"ktp-ubah", "disdukcapil", "KTP-el perubahan data",
      "Pencetakan ulang KTP-el karena perubahan data (status perkawinan, pekerjaan, alamat, dan "
      "lain-lain).",
      "adminduk", true, 12, ev_ubah},
     1,
     "days",
     "KTP-el dengan data baru",
     {KK_ASLI,
      KTP_ASLI,
      {"bukti-perubahan", "Dokumen bukti perubahan data", true, true, NULL, NULL}},
     {{"data_berubah", "string", "Data yang berubah", "Misalnya status perkawinan atau pekerjaan",
       NULL, true}}},
    {{"ktp-pindah", "disdukcapil", "KTP-el pindah datang",
      "Pencetakan KTP-el dengan alamat baru bagi penduduk yang pindah datang.", "adminduk", true,
      13, ev_pindah},
     1,
     "days",
     "KTP-el dengan alamat baru",
     {KK_ASLI, {"skpwni", "Surat Keterangan Pindah WNI (SKPWNI)", true, true, NULL, NULL}},
     {{0}}},
    {{"kk-baru", "disdukcapil", "Kartu Keluarga (KK) baru",
      "Penerbitan KK baru untuk keluarga baru (setelah menikah) atau karena perceraian.",
      "adminduk", true, 20, ev_kk_baru},
     1,
     "days",
     "Kartu Keluarga (KK) baru, dicetak di kertas HVS A4 dengan tanda tangan elektronik",
     {{"kk-lama", "KK lama", true, true, NULL, NULL},
      {"buku-nikah", "Buku nikah / akta perkawinan", false, true, "married", "Untuk keluarga baru"},
      {"akta-cerai", "Akta perceraian", false, true, "divorced", "Jika karena perceraian"},
      {"f101", "Formulir F-1.01 (biodata keluarga)", true, false, NULL, NULL}},
     {{0}}},
    {{"kk-ubah", "disdukcapil", "Kartu Keluarga (KK) perubahan data",
      "Perubahan KK karena kelahiran, kematian, atau perubahan data anggota keluarga.", "adminduk",
      true, 21, ev_kk_ubah},
     1,
     "days",
     "Kartu Keluarga (KK) dengan data baru",
     {KK_ASLI,
      {"bukti-peristiwa", "Bukti peristiwa (akta kelahiran, akta kematian, dan lain-lain)", true,
       true, NULL, NULL}},
     {{"peristiwa", "singlevaluelist", "Peristiwa", NULL,
       "kelahiran=Kelahiran\nkematian=Kematian\nperubahan=Perubahan data", true}}},
    {{"kk-ganti", "disdukcapil", "Kartu Keluarga (KK) hilang atau rusak",
      "Pencetakan ulang KK yang hilang atau rusak.", "adminduk", true, 22, ev_hilang},
     1,
     "days",
     "Kartu Keluarga (KK) pengganti",
     {KTP_ASLI,
      {"surat-kehilangan", "Surat keterangan kehilangan dari kepolisian", false, true, "lost",
       "Jika KK hilang"},
      {"kk-rusak", "KK yang rusak", false, true, "damaged", "Jika KK rusak"}},
     {F_ALASAN_HR}},
    {{"kia", "disdukcapil", "Kartu Identitas Anak (KIA)",
      "KIA untuk anak di bawah 17 tahun yang belum menikah. Ada dua jenis: usia 0 sampai 5 "
      "tahun (tanpa foto, berlaku sampai ulang tahun ke-5) dan usia 5 sampai 17 tahun (dengan "
      "foto, berlaku sampai sehari sebelum ulang tahun ke-17).",
      "adminduk", true, 30, ev_lahir},
     1,
     "days",
     "Kartu Identitas Anak (KIA)",
     {{"akta-lahir", "Kutipan akta kelahiran anak", true, true, NULL, NULL},
      {"kk", "KK orang tua", true, true, NULL, NULL},
      {"ktp-ortu", "KTP-el kedua orang tua / wali", true, true, NULL, NULL},
      {"pasfoto", "Pas foto anak berwarna 2×3", false, false, "age_5_17",
       "Untuk anak usia 5 tahun ke atas"}},
     {{"nama_anak", "string", "Nama anak", NULL, NULL, true},
      {"tanggal_lahir_anak", "datetime", "Tanggal lahir anak",
       "Menentukan jenis KIA (0–5 atau 5–17 tahun) dan masa berlakunya", NULL, true}}},
    {{"akta-lahir", "disdukcapil", "Akta kelahiran",
      "Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.", "adminduk", true, 40,
      ev_lahir},
     1,
     "days",
     "Kutipan akta kelahiran (dicetak di kertas HVS A4 dengan tanda tangan elektronik)",
     {{"surat-lahir", "Surat keterangan lahir dari rumah sakit, puskesmas, bidan, atau kepala desa",
       false, true, NULL, "Jika tidak ada, isi SPTJM kebenaran data kelahiran (F-2.03)"},
      {"buku-nikah", "Buku nikah / akta perkawinan orang tua", false, true, NULL,
       "Jika tidak ada, isi SPTJM kebenaran pasangan suami istri (F-2.04)"},
      KK_ASLI,
      {"sptjm", "SPTJM (F-2.03 / F-2.04) dengan 2 orang saksi", false, false, "no_birth_letter",
       "Jika tidak ada surat keterangan lahir atau bukti perkawinan"}},
     {{"nama_anak", "string", "Nama anak", NULL, NULL, true},
      {"tanggal_lahir_anak", "datetime", "Tanggal lahir anak",
       "Kelahiran dilaporkan paling lambat 60 hari", NULL, true},
      {"tempat_lahir", "string", "Tempat lahir", NULL, NULL, true}}},
    {{"akta-mati", "disdukcapil", "Akta kematian",
      "Pencatatan kematian dan penerbitan kutipan akta kematian.", "adminduk", true, 41, ev_mati},
     1,
     "days",
     "Kutipan akta kematian",
     {{"surat-kematian", "Surat keterangan kematian dari dokter atau kepala desa/lurah", true, true,
       NULL, NULL},
      {"kk-almarhum", "KK almarhum/almarhumah", true, true, NULL, NULL},
      {"ktp-almarhum", "KTP-el almarhum/almarhumah", false, true, NULL, "Jika ada"}},
     {{"tanggal_meninggal", "datetime", "Tanggal meninggal",
       "Kematian dilaporkan paling lambat 30 hari", NULL, true}}},
    {{"akta-kawin", "disdukcapil", "Akta perkawinan (non-Muslim)",
      "Pencatatan perkawinan bagi penduduk non-Muslim.", "adminduk", true, 42, ev_kawin},
     3,
     "days",
     "Kutipan akta perkawinan",
     {{"surat-pemuka-agama", "Surat perkawinan dari pemuka agama", true, true, NULL, NULL},
      {"pasfoto-berdua", "Pas foto berdampingan 4×6", true, false, NULL, NULL},
      {"ktp-mempelai", "KTP-el kedua mempelai", true, true, NULL, NULL},
      {"kk-mempelai", "KK kedua mempelai", true, true, NULL, NULL}},
     {{"tanggal_perkawinan", "datetime", "Tanggal perkawinan", NULL, NULL, true}}},
    {{"akta-cerai", "disdukcapil", "Akta perceraian",
      "Pencatatan perceraian berdasarkan putusan pengadilan.", "adminduk", true, 43, ev_cerai},
     3,
     "days",
     "Kutipan akta perceraian",
     {{"putusan", "Salinan putusan pengadilan yang berkekuatan hukum tetap", true, true, NULL,
       NULL},
      {"akta-kawin", "Kutipan akta perkawinan", true, true, NULL, NULL},
      KTP_ASLI,
      KK_ASLI},
     {{0}}},
    {{"pindah-keluar", "disdukcapil", "Surat pindah (SKPWNI)",
      "Surat Keterangan Pindah WNI untuk penduduk yang pindah ke kabupaten/kota lain.", "adminduk",
      true, 50, ev_pindah},
     1,
     "days",
     "Surat Keterangan Pindah WNI (SKPWNI)",
     {KK_ASLI,
      {"f103", "Formulir F-1.03 (pendaftaran perpindahan penduduk)", true, false, NULL, NULL}},
     {{"alamat_tujuan", "text", "Alamat tujuan", NULL, NULL, true}}},
    {{"pindah-datang", "disdukcapil", "Pindah datang",
      "Pendaftaran penduduk yang pindah datang dari kabupaten/kota lain, dengan KK baru.",
      "adminduk", true, 51, ev_pindah},
     1,
     "days",
     "Kartu Keluarga (KK) dengan alamat baru",
     {{"skpwni", "Surat Keterangan Pindah WNI (SKPWNI) dari daerah asal", true, true, NULL, NULL},
      {"f103", "Formulir F-1.03", true, false, NULL, NULL}},
     {{0}}},
    {{"sk-kependudukan", "disdukcapil", "Surat keterangan kependudukan",
      "Surat keterangan domisili atau kependudukan untuk keperluan administrasi.", "adminduk", true,
      60, NULL},
     1,
     "days",
     "Surat keterangan kependudukan",
     {KK_ASLI, KTP_ASLI},
     {{"keperluan", "string", "Keperluan", NULL, NULL, true}}},
};

static const svc_step steps[] = {
    {1, "pemohon",
     "Mengajukan permohonan secara daring atau datang ke loket dengan membawa "
     "persyaratan."},
    {2, "petugas", "Memeriksa kelengkapan dan keabsahan persyaratan."},
    {3, "petugas", "Memproses data dan mencetak dokumen."},
    {4, "kepala_unit", "Menandatangani dokumen secara elektronik."},
    {5, "petugas",
     "Menyerahkan dokumen di loket, mengirim ke alamat pemohon, atau menyiapkan "
     "cetak mandiri."},
};

static const char *const adminduk_text[SVC_NCOMPONENTS] = {
    [SVC_C_PENGADUAN] =
        "Loket pengaduan di kantor; SP4N-LAPOR! (www.lapor.go.id, SMS 1708); kotak saran; "
        "situs web dan media sosial resmi Disdukcapil.",
    [SVC_C_DASAR_HUKUM] =
        "UU 23/2006 jo. UU 24/2013 tentang Administrasi Kependudukan; UU 25/2009 tentang "
        "Pelayanan Publik; Perpres 96/2018; Permendagri 108/2019 dan 109/2019.",
    [SVC_C_SARANA] =
        "Ruang tunggu, loket pelayanan, komputer dan printer, alat perekaman "
        "biometrik, loket prioritas bagi lansia, penyandang disabilitas dan ibu hamil.",
    [SVC_C_KOMPETENSI] = "Memahami peraturan administrasi kependudukan dan mampu mengoperasikan "
                         "SIAK Terpusat.",
    [SVC_C_PENGAWASAN] = "Pengawasan oleh atasan langsung dan Inspektorat Daerah.",
    [SVC_C_JUMLAH_PELAKSANA] = "Sesuai jumlah loket di setiap titik layanan.",
    [SVC_C_JAMINAN_PELAYANAN] = "Pelayanan diberikan sesuai standar pelayanan dan maklumat "
                                "pelayanan.",
    [SVC_C_JAMINAN_KEAMANAN] = "Data pribadi penduduk dijaga kerahasiaannya sesuai UU 27/2022 "
                               "tentang Pelindungan Data Pribadi.",
    [SVC_C_EVALUASI] = "Evaluasi kinerja pelaksana dilakukan secara berkala setiap tahun.",
};

static int seed_one(db_conn *c, const seed_service *ss, const char *const *points, size_t npoints,
                    bool *added)
{
    int64_t id;
    int r = svc_create(c, &ss->d, &id, added);
    if (r != DB_OK || !*added) return r;
    svc_requirement reqs[8];
    size_t nr = 0;
    for (; nr < 8 && ss->reqs[nr].doc_type; nr++) {
        const req_def *q = &ss->reqs[nr];
        reqs[nr] = (svc_requirement){(int)nr + 1, q->doc_type, q->label,      q->required,
                                     q->original, q->cond,     q->cond_label, "jpg,png,pdf"};
    }
    svc_standard st;
    memset(&st, 0, sizeof st);
    st.effective_from = "2026-01-01";
    st.participation = NULL;
    st.time_limit_value = ss->time_limit;
    st.time_limit_unit = ss->time_unit;
    st.cost_amount = 0;
    st.cost_note = "Tidak dipungut biaya (UU 24/2013 Pasal 79A).";
    for (int i = SVC_C_PRODUK; i < SVC_NCOMPONENTS; i++)
        st.text[i] = adminduk_text[i];
    st.text[SVC_C_PRODUK] = ss->product;
    st.reqs = reqs;
    st.nreqs = nr;
    st.steps = (svc_step *)steps;
    st.nsteps = sizeof steps / sizeof steps[0];
    st.change_note = "Standar awal dari katalog layan; tetapkan dengan keputusan kepala dinas.";
    r = svc_standard_add(c, id, &st, 0, NULL);
    if (r != DB_OK) return r;
    svc_field fs[5];
    size_t nf = 0;
    for (; nf < 5 && ss->fields[nf].code; nf++)
        fs[nf] = (svc_field){(int)nf + 1,
                             ss->fields[nf].code,
                             ss->fields[nf].datatype,
                             ss->fields[nf].label,
                             ss->fields[nf].description,
                             ss->fields[nf].choices,
                             ss->fields[nf].required};
    if (nf && (r = svc_set_fields(c, id, fs, nf)) != DB_OK) return r;
    for (size_t i = 0; i < npoints; i++)
        if ((r = svc_offer(c, id, points[i])) != DB_OK) return r;
    return DB_OK;
}

static int point_codes(db_conn *c, arena *a, const char ***out, size_t *n)
{
    db_stmt *s = db_prepare(c, "SELECT code FROM units WHERE code = 'disdukcapil' OR (type = "
                               "'kecamatan' AND parent_id = (SELECT id FROM units WHERE code = "
                               "'disdukcapil')) ORDER BY code");
    if (!s) return DB_ERR;
    size_t cap = 64, k = 0;
    const char **v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            const char **nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *nv);
            v = nv;
            cap *= 2;
        }
        str t = db_col_text(s, 0);
        v[k++] = arena_strndup(a, t.p, t.n);
    }
    db_finish(s);
    *out = v;
    *n = k;
    return r == DB_DONE ? DB_OK : r;
}

int svc_seed_adminduk(db_conn *c, int *services_added)
{
    arena *a = arena_new(8192);
    const char **points;
    size_t np;
    int added = 0;
    int r = point_codes(c, a, &points, &np);
    for (size_t i = 0; r == DB_OK && i < sizeof catalogue / sizeof catalogue[0]; i++) {
        bool made = false;
        r = seed_one(c, &catalogue[i], points, np, &made);
        added += made;
    }
    /* a kecamatan added after the services were seeded gets them too; a point an admin turned
     * off stays (off, not deleted), so NOT EXISTS leaves it alone */
    if (r == DB_OK) {
        db_stmt *s = db_prepare(
            c, "INSERT INTO service_points (service_id, unit_id) SELECT s.id, u.id FROM services "
               "s CROSS JOIN units u WHERE s.category = 'adminduk' AND (u.code = 'disdukcapil' OR "
               "(u.type = 'kecamatan' AND u.parent_id = (SELECT id FROM units WHERE code = "
               "'disdukcapil'))) AND NOT EXISTS (SELECT 1 FROM service_points p WHERE "
               "p.service_id = s.id AND p.unit_id = u.id)");
        if (!s) r = DB_ERR;
        else {
            r = db_step(s) == DB_DONE ? DB_OK : DB_ERR;
            db_finish(s);
        }
    }
    if (r == DB_OK) {
        svc_maklumat cur;
        int m = svc_maklumat_current(c, a, "disdukcapil", &cur);
        if (m == DB_DONE) {
            svc_maklumat mk = {
                .body = "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai "
                        "standar pelayanan yang telah ditetapkan dan apabila tidak menepati janji "
                        "ini, kami siap menerima sanksi sesuai peraturan perundang-undangan yang "
                        "berlaku.",
                .signatory_name = "Kepala Dinas Kependudukan dan Pencatatan Sipil",
                .signatory_title = "Kepala Dinas",
                .stipulated_on = "2026-01-01",
                .channels = "kantor,situs"};
            r = svc_maklumat_add(c, "disdukcapil", &mk, 0, NULL);
        } else if (m != DB_OK) r = m;
    }
    arena_free(a);
    if (services_added) *services_added = added;
    return r;
}
