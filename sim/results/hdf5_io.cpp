#include "sim/results/hdf5_io.h"

#include <hdf5.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "sim/results/atomic_file.h"
#include "sim/results/child_process.h"

namespace strata::results {
namespace {

constexpr const char* kFormat = "strata-result";

// Bounds on reading a result file, whatever its header claims.
constexpr hsize_t kMaxRows = hsize_t(1) << 32;      ///< rows of one column in a result file
constexpr double kMaxExpansion = 4096;              ///< column bytes per stored byte (deflate: < 1032)
constexpr double kReadSeconds = 5;                  ///< reading a result file: seconds, plus 1 per 20 MB
constexpr double kReadBytesPerSecond = 20e6;
constexpr size_t kReadMemoryBytes = size_t(4) << 30;  ///< reading a result file: memory, plus 64 x its size
constexpr size_t kReadMemoryPerByte = 64;

/// Owns one HDF5 identifier and closes it with the right function.
class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw std::runtime_error("HDF5: cannot " + what);
  }
  ~Id() {
    if (id_ >= 0) close_(id_);
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot " + what);
}

void quiet_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

hid_t string_type() {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

// ---------------------------------------------------------------- writing

void write_string_attr(hid_t obj, const char* name, const std::string& value) {
  Id type(string_type(), H5Tclose, "make string type");
  Id space(H5Screate(H5S_SCALAR), H5Sclose, "make dataspace");
  Id attr(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
          std::string("create attribute ") + name);
  const char* p = value.c_str();
  check(H5Awrite(attr, type, &p), std::string("write attribute ") + name);
}

void write_int_attr(hid_t obj, const char* name, int64_t value) {
  Id space(H5Screate(H5S_SCALAR), H5Sclose, "make dataspace");
  Id attr(H5Acreate2(obj, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
          std::string("create attribute ") + name);
  check(H5Awrite(attr, H5T_NATIVE_INT64, &value), std::string("write attribute ") + name);
}

hid_t group_plist() {
  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  H5Pset_obj_track_times(gcpl, 0);
  return gcpl;
}

hid_t make_group(hid_t parent, const std::string& name) {
  Id gcpl(group_plist(), H5Pclose, "make group properties");
  return H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT);
}

/// Dataset creation properties: no timestamps; chunked and compressed when non-empty.
hid_t dataset_plist(size_t rows, bool compress) {
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_obj_track_times(dcpl, 0);
  if (rows > 0 && compress) {
    hsize_t chunk = rows < 65536 ? rows : 65536;
    H5Pset_chunk(dcpl, 1, &chunk);
    H5Pset_shuffle(dcpl);
    H5Pset_deflate(dcpl, 4);
  }
  return dcpl;
}

void write_column(hid_t group, const Column& c) {
  size_t rows = c.size();
  hsize_t dims[1] = {rows};
  Id space(H5Screate_simple(1, dims, nullptr), H5Sclose, "make dataspace");
  bool strings = std::holds_alternative<std::vector<std::string>>(c.data);
  Id dcpl(dataset_plist(rows, !strings), H5Pclose, "make dataset properties");
  std::string what = "write column " + c.name;
  if (auto* d = std::get_if<std::vector<double>>(&c.data)) {
    Id ds(H5Dcreate2(group, c.name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
          H5Dclose, what);
    if (rows) check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->data()), what);
    write_string_attr(ds, "units", c.unit);
    write_string_attr(ds, "description", c.description);
  } else if (auto* i = std::get_if<std::vector<int64_t>>(&c.data)) {
    Id ds(H5Dcreate2(group, c.name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
          H5Dclose, what);
    if (rows) check(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, i->data()), what);
    write_string_attr(ds, "units", c.unit);
    write_string_attr(ds, "description", c.description);
  } else {
    const auto& s = std::get<std::vector<std::string>>(c.data);
    std::vector<const char*> ptrs;
    for (const std::string& x : s) ptrs.push_back(x.c_str());
    Id type(string_type(), H5Tclose, "make string type");
    Id ds(H5Dcreate2(group, c.name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
          what);
    if (rows) check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), what);
    write_string_attr(ds, "units", c.unit);
    write_string_attr(ds, "description", c.description);
  }
}

void write_scalar(hid_t group, const Scalar& s) {
  Id space(H5Screate(H5S_SCALAR), H5Sclose, "make dataspace");
  Id dcpl(dataset_plist(0, false), H5Pclose, "make dataset properties");
  Id ds(H5Dcreate2(group, s.name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
        H5Dclose, "create summary/" + s.name);
  check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s.value),
        "write summary/" + s.name);
  write_string_attr(ds, "units", s.unit);
  write_string_attr(ds, "description", s.description);
}

void write_text_dataset(hid_t parent, const char* name, const std::string& text) {
  Id type(string_type(), H5Tclose, "make string type");
  Id space(H5Screate(H5S_SCALAR), H5Sclose, "make dataspace");
  Id dcpl(dataset_plist(0, false), H5Pclose, "make dataset properties");
  Id ds(H5Dcreate2(parent, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
        std::string("create ") + name);
  const char* p = text.c_str();
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), std::string("write ") + name);
}

// ---------------------------------------------------------------- reading
// Reading errors name the object; read_hdf5 puts the file in front of them.

std::string read_string_attr(hid_t obj, const char* name, const std::string& where) {
  if (H5Aexists(obj, name) <= 0) throw std::runtime_error(where + ": attribute '" + name + "' is missing");
  Id attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, "open attribute " + where + "@" + name);
  Id ftype(H5Aget_type(attr), H5Tclose, "read the type of " + where + "@" + name);
  if (H5Tget_class(ftype) != H5T_STRING || H5Tis_variable_str(ftype) <= 0)
    throw std::runtime_error(where + ": attribute '" + name + "' is not a string");
  Id mtype(string_type(), H5Tclose, "make string type");
  char* p = nullptr;
  herr_t status = H5Aread(attr, mtype, &p);
  std::string s = status >= 0 && p ? p : "";
  H5free_memory(p);  // also after a failed read, which may have allocated it
  check(status, "read attribute " + where + "@" + name);
  return s;
}

int64_t read_int_attr(hid_t obj, const char* name, const std::string& where) {
  if (H5Aexists(obj, name) <= 0) throw std::runtime_error(where + ": attribute '" + name + "' is missing");
  Id attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, "open attribute " + where + "@" + name);
  Id ftype(H5Aget_type(attr), H5Tclose, "read the type of " + where + "@" + name);
  if (H5Tget_class(ftype) != H5T_INTEGER) throw std::runtime_error(where + ": attribute '" + name + "' is not an integer");
  int64_t v = 0;
  check(H5Aread(attr, H5T_NATIVE_INT64, &v), "read attribute " + where + "@" + name);
  return v;
}

/// Rows of a 1-D dataset (or 1 for a scalar), refusing sizes the file cannot hold: a damaged
/// header could otherwise ask for terabytes.
hsize_t checked_rows(hid_t ds, hid_t space, size_t element_bytes, const std::string& where) {
  int ndims = H5Sget_simple_extent_ndims(space);
  if (ndims == 0) return 1;
  if (ndims != 1) throw std::runtime_error(where + ": not a 1-D column");
  hsize_t rows = 0;
  check(H5Sget_simple_extent_dims(space, &rows, nullptr), "read the size of " + where);
  const double bytes = double(rows) * double(element_bytes);
  const double stored = double(H5Dget_storage_size(ds));
  if (rows > kMaxRows || bytes > kMaxExpansion * stored + 65536)
    throw std::runtime_error(where + ": declares " + std::to_string(rows) + " rows but stores " +
                             std::to_string(size_t(stored)) + " bytes");
  return rows;
}

std::string read_text_dataset(hid_t parent, const char* name) {
  std::string where = std::string("/") + name;
  Id ds(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose, "open " + where);
  Id space(H5Dget_space(ds), H5Sclose, "read the dataspace of " + where);
  if (H5Sget_simple_extent_ndims(space) != 0) throw std::runtime_error(where + ": not a single text");
  Id ftype(H5Dget_type(ds), H5Tclose, "read the type of " + where);
  if (H5Tget_class(ftype) != H5T_STRING || H5Tis_variable_str(ftype) <= 0)
    throw std::runtime_error(where + ": not a text");
  Id mtype(string_type(), H5Tclose, "make string type");
  char* p = nullptr;
  herr_t status = H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p);
  std::string s = status >= 0 && p ? p : "";
  H5free_memory(p);
  check(status, "read " + where);
  return s;
}

/// Names of a group's members in creation order.
std::vector<std::string> members(hid_t group, const std::string& where) {
  std::vector<std::string> names;
  H5G_info_t info;
  check(H5Gget_info(group, &info), "list the members of " + where);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t n = H5Lget_name_by_idx(group, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (n < 0) throw std::runtime_error("cannot list the members of " + where);
    std::string name(size_t(n), '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name.data(), size_t(n) + 1,
                           H5P_DEFAULT) < 0)
      throw std::runtime_error("cannot list the members of " + where);
    names.push_back(name);
  }
  return names;
}

Column read_column(hid_t group, const std::string& name, const std::string& where) {
  Column c;
  c.name = name;
  std::string w = where + "/" + name;
  Id ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + w);
  Id space(H5Dget_space(ds), H5Sclose, "read the dataspace of " + w);
  if (H5Sget_simple_extent_ndims(space) != 1) throw std::runtime_error(w + ": not a 1-D column");
  Id ftype(H5Dget_type(ds), H5Tclose, "read the type of " + w);
  switch (H5Tget_class(ftype)) {
    case H5T_FLOAT: {
      std::vector<double> v(checked_rows(ds, space, sizeof(double), w));
      if (!v.empty()) check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + w);
      c.data = std::move(v);
      break;
    }
    case H5T_INTEGER: {
      std::vector<int64_t> v(checked_rows(ds, space, sizeof(int64_t), w));
      if (!v.empty()) check(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + w);
      c.data = std::move(v);
      break;
    }
    case H5T_STRING: {
      if (H5Tis_variable_str(ftype) <= 0) throw std::runtime_error(w + ": fixed-length strings are not strata's");
      Id mtype(string_type(), H5Tclose, "make string type");
      // A variable-length string is a heap reference of at least 16 bytes in the file.
      std::vector<char*> ptrs(checked_rows(ds, space, 16, w), nullptr);
      herr_t status = ptrs.empty() ? 0 : H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data());
      std::vector<std::string> v;
      v.reserve(ptrs.size());
      for (char* p : ptrs) v.emplace_back(p ? p : "");
      for (char* p : ptrs) H5free_memory(p);  // also what a failed read converted
      check(status, "read " + w);
      c.data = std::move(v);
      break;
    }
    default:
      throw std::runtime_error(w + ": unsupported column type");
  }
  c.unit = read_string_attr(ds, "units", w);
  c.description = read_string_attr(ds, "description", w);
  return c;
}

Scalar read_scalar(hid_t group, const std::string& name, const std::string& where) {
  std::string w = where + "/" + name;
  Id ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + w);
  Id space(H5Dget_space(ds), H5Sclose, "read the dataspace of " + w);
  Id ftype(H5Dget_type(ds), H5Tclose, "read the type of " + w);
  if (H5Sget_simple_extent_ndims(space) != 0 || H5Tget_class(ftype) != H5T_FLOAT)
    throw std::runtime_error(w + ": not a single number");
  Scalar s;
  s.name = name;
  check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s.value), "read " + w);
  s.unit = read_string_attr(ds, "units", w);
  s.description = read_string_attr(ds, "description", w);
  return s;
}

/// The tables under `parent`: a group with a `rows` attribute is a table, one without a folder
/// of tables ("network/bom"), at most kMaxFolderDepth deep.
void read_tables(hid_t parent, const std::string& prefix, Result& r, int depth) {
  constexpr int kMaxFolderDepth = 4;
  for (const std::string& name : members(parent, "/" + prefix)) {
    if (prefix.empty() && (name == "config" || name == "provenance" || name == "summary")) continue;
    const std::string full = prefix + name, w = "/" + full;
    Id g(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "open " + w);
    if (H5Aexists(g, "rows") <= 0 && depth < kMaxFolderDepth) {
      read_tables(g, full + "/", r, depth + 1);
      continue;
    }
    Table t;
    t.name = full;
    t.description = read_string_attr(g, "description", w);
    for (const std::string& col : members(g, w)) t.columns.push_back(read_column(g, col, w));
    for (const Column& c : t.columns)
      if (c.size() != t.rows()) throw std::runtime_error(w + "/" + c.name + ": its length differs from the table's");
    r.tables.push_back(std::move(t));
  }
}

Result read_file(const std::string& path) {
  if (H5Fis_hdf5(path.c_str()) <= 0) throw std::runtime_error("not an HDF5 file (truncated, or another format)");
  Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open the file");
  if (H5Aexists(file, "format") <= 0 || read_string_attr(file, "format", "/") != kFormat)
    throw std::runtime_error("not a strata result file (no format='strata-result')");
  int64_t version = read_int_attr(file, "schema_version", "/");
  if (version != kSchemaVersion)
    throw std::runtime_error("schema version " + std::to_string(version) + ", this build reads " +
                             std::to_string(kSchemaVersion));
  Result r;
  r.title = read_string_attr(file, "title", "/");
  r.config_yaml = read_text_dataset(file, "config");
  {
    Id g(H5Gopen2(file, "provenance", H5P_DEFAULT), H5Gclose, "open /provenance");
    const std::string w = "/provenance";
    Provenance& p = r.provenance;
    p.strata_version = read_string_attr(g, "strata_version", w);
    p.git_describe = read_string_attr(g, "git_describe", w);
    p.seed = read_int_attr(g, "seed", w);
    p.scenario = read_string_attr(g, "scenario", w);
    p.fidelity = read_string_attr(g, "fidelity", w);
    p.op_cost_model = read_string_attr(g, "op_cost_model", w);
    p.network_model = read_string_attr(g, "network_model", w);
  }
  {
    Id g(H5Gopen2(file, "summary", H5P_DEFAULT), H5Gclose, "open /summary");
    for (const std::string& name : members(g, "/summary")) r.summary.push_back(read_scalar(g, name, "/summary"));
  }
  read_tables(file, "", r, 0);
  return r;
}

/// The file must be a regular file: HDF5 would block on a FIFO and misread a directory.
size_t regular_file_size(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    throw std::invalid_argument(path + ": cannot read the result file (" + std::strerror(errno) + ")");
  if (!S_ISREG(st.st_mode)) throw std::invalid_argument(path + ": not a regular file");
  return size_t(st.st_size);
}

ChildLimits read_limits(size_t file_bytes) {
  return {kReadSeconds + double(file_bytes) / kReadBytesPerSecond, kReadMemoryBytes + kReadMemoryPerByte * file_bytes};
}

}  // namespace

void write_hdf5(const Result& r, const std::string& path, const WriteProgress& progress) {
  quiet_hdf5();
  AtomicFile out(path);
  {
    Id fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "make file properties");
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_obj_track_times(fcpl, 0);  // the root group's header would carry timestamps
    Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "make file access properties");
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18);
    Id file(H5Fcreate(out.temp_path().c_str(), H5F_ACC_TRUNC, fcpl, fapl), H5Fclose,
            "create " + out.temp_path());
    write_string_attr(file, "format", kFormat);
    write_int_attr(file, "schema_version", kSchemaVersion);
    write_string_attr(file, "title", r.title);
    write_text_dataset(file, "config", r.config_yaml);
    {
      Id g(make_group(file, "provenance"), H5Gclose, "create group provenance");
      const Provenance& p = r.provenance;
      write_string_attr(g, "strata_version", p.strata_version);
      write_string_attr(g, "git_describe", p.git_describe);
      write_int_attr(g, "seed", p.seed);
      write_string_attr(g, "scenario", p.scenario);
      write_string_attr(g, "fidelity", p.fidelity);
      write_string_attr(g, "op_cost_model", p.op_cost_model);
      write_string_attr(g, "network_model", p.network_model);
    }
    if (progress) progress("provenance");
    {
      Id g(make_group(file, "summary"), H5Gclose, "create group summary");
      for (const Scalar& s : r.summary) write_scalar(g, s);
    }
    if (progress) progress("summary");
    for (const Table& t : r.tables) {
      // A table named "folder/name" sits in group /folder (created by its first table).
      for (size_t slash = t.name.find('/'); slash != std::string::npos; slash = t.name.find('/', slash + 1)) {
        const std::string folder = t.name.substr(0, slash);
        if (H5Lexists(file, folder.c_str(), H5P_DEFAULT) <= 0) Id f(make_group(file, folder), H5Gclose, "create group " + folder);
      }
      Id g(make_group(file, t.name), H5Gclose, "create group " + t.name);
      write_string_attr(g, "description", t.description);
      write_int_attr(g, "rows", static_cast<int64_t>(t.rows()));
      for (const Column& c : t.columns) {
        if (c.size() != t.rows())
          throw std::logic_error("table " + t.name + ": column " + c.name + " has " +
                                 std::to_string(c.size()) + " rows, expected " +
                                 std::to_string(t.rows()));
        write_column(g, c);
      }
      if (progress) progress(t.name);
    }
    check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + out.temp_path());
  }
  out.commit();
}

Result read_hdf5(const std::string& path) {
  regular_file_size(path);
  quiet_hdf5();
  try {
    return read_file(path);
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
}

Result read_hdf5_isolated(const std::string& path) {
  const ChildLimits limits = read_limits(regular_file_size(path));
  ChildOutcome trial = run_in_child([&] { return read_hdf5(path), std::string(); }, limits);
  switch (trial.status) {
    case ChildOutcome::Status::ok: return read_hdf5(path);
    case ChildOutcome::Status::error: throw std::invalid_argument(trial.text);
    default:
      throw std::invalid_argument(path + ": the HDF5 library " + trial.describe(limits) +
                                  " reading this file; it is damaged or not a strata result");
  }
}

}  // namespace strata::results
