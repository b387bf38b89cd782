/*
 * A memory-mapped append area for the sync server's SQLite journal (src/sync-server/sync/
 * journalMap.ts). A store into a MAP_SHARED mapping lands in the kernel's page cache like a
 * pwrite(2) does, so it survives the process being killed (SIGKILL, a crash) just the same,
 * without a system call per group commit: the server can then commit every update as it arrives
 * and relay it at once.
 *
 * JavaScript never sees the mapped memory: `write` copies a buffer in, and the mapping can grow
 * (mremap) or be unmapped without leaving a dangling view behind. Every byte that is mapped is
 * reserved on disk first (posix_fallocate): a store into a hole of a sparse file on a full disk
 * would kill the process with SIGBUS, whereas a failed reservation is an error JavaScript handles.
 *
 * Linux only (mremap). Built by scripts/build-node.mjs with the C compiler and Node's headers;
 * where it is not built the journal writes with pwrite.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GROWTH_STEP ((size_t)16 << 20)

typedef struct {
  uint8_t *base; /* NULL once unmapped */
  size_t capacity;
  int fd;
} JournalMap;

/* The name Node gives the errors a reservation or a mapping can end with. */
static const char *errno_name(int error) {
  switch (error) {
    case ENOSPC: return "ENOSPC";
    case EDQUOT: return "EDQUOT";
    case EFBIG: return "EFBIG";
    case ENOMEM: return "ENOMEM";
    case EINVAL: return "EINVAL";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENODEV: return "ENODEV";
    case EBADF: return "EBADF";
    case EACCES: return "EACCES";
    case EIO: return "EIO";
    default: return "EUNKNOWN";
  }
}

/* Throws an Error with the message, `code` (as Node's fs errors have) and `errno`. */
static napi_value throw_errno(napi_env env, const char *what, int error) {
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(error));
  napi_value text, err, code, number;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, NULL, text, &err);
  napi_create_string_utf8(env, errno_name(error), NAPI_AUTO_LENGTH, &code);
  napi_set_named_property(env, err, "code", code);
  napi_create_int32(env, error, &number);
  napi_set_named_property(env, err, "errno", number);
  napi_throw(env, err);
  return NULL;
}

static void unmap(JournalMap *map) {
  if (map->base) munmap(map->base, map->capacity);
  map->base = NULL;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  unmap((JournalMap *)data);
  free(data);
}

/* Reserves [0, capacity) of the file on disk (extending it with zeros) before it is mapped. */
static int reserve(int fd, size_t capacity) {
  return posix_fallocate(fd, 0, (off_t)capacity);
}

static JournalMap *unwrap(napi_env env, napi_value value) {
  JournalMap *map = NULL;
  if (napi_get_value_external(env, value, (void **)&map) != napi_ok || map == NULL) {
    napi_throw_type_error(env, NULL, "not a journal map");
    return NULL;
  }
  return map;
}

static int get_size(napi_env env, napi_value value, size_t *out) {
  double number;
  if (napi_get_value_double(env, value, &number) != napi_ok || !(number >= 0) || number > 9007199254740991.0 || number != (double)(size_t)number) {
    napi_throw_range_error(env, NULL, "expected a non-negative integer");
    return 0;
  }
  *out = (size_t)number;
  return 1;
}

/* Reads the call's first `count` arguments into `argv`; throws a TypeError showing `usage` when fewer came. */
static int get_args(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *usage) {
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < count) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  return 1;
}

/* map(fd, capacity): reserves and maps the first `capacity` bytes of the open file `fd`. */
static napi_value map_file(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, "map(fd, capacity)")) return NULL;
  int32_t fd;
  size_t capacity;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "fd must be a file descriptor");
    return NULL;
  }
  if (!get_size(env, argv[1], &capacity)) return NULL;
  if (capacity == 0) {
    napi_throw_range_error(env, NULL, "capacity must be positive");
    return NULL;
  }
  int error = reserve(fd, capacity);
  if (error) return throw_errno(env, "reserving journal space", error);
  void *base = mmap(NULL, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) return throw_errno(env, "mapping the journal", errno);
  JournalMap *map = malloc(sizeof *map);
  if (!map) {
    munmap(base, capacity);
    return throw_errno(env, "mapping the journal", ENOMEM);
  }
  map->base = base;
  map->capacity = capacity;
  map->fd = fd;
  napi_value handle;
  if (napi_create_external(env, map, finalize, NULL, &handle) != napi_ok) {
    unmap(map);
    free(map);
    return NULL;
  }
  return handle;
}

/*
 * write(map, data, position): copies `data` to `position` of the file, first growing the mapping
 * (reserved on disk first) when it does not reach that far. Throws, having written nothing,
 * when the space cannot be reserved or mapped.
 */
static napi_value write_at(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, "write(map, data, position)")) return NULL;
  JournalMap *map = unwrap(env, argv[0]);
  if (!map) return NULL;
  if (!map->base) {
    napi_throw_error(env, NULL, "journal map is closed");
    return NULL;
  }
  bool is_typed;
  napi_is_typedarray(env, argv[1], &is_typed);
  if (!is_typed) {
    napi_throw_type_error(env, NULL, "data must be a Uint8Array");
    return NULL;
  }
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL);
  if (type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "data must be a Uint8Array");
    return NULL;
  }
  size_t position;
  if (!get_size(env, argv[2], &position)) return NULL;
  size_t end = position + length;
  if (end < position) {
    napi_throw_range_error(env, NULL, "position out of range");
    return NULL;
  }
  if (end > map->capacity) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t capacity = map->capacity;
    /* Doubling up to 16 MiB, then 16 MiB at a time: a journal is restarted at about 64 MiB. */
    while (capacity < end) capacity = capacity < GROWTH_STEP ? capacity * 2 : capacity + GROWTH_STEP;
    capacity = (capacity + page - 1) / page * page;
    int error = reserve(map->fd, capacity);
    if (error) return throw_errno(env, "reserving journal space", error);
    void *base = mremap(map->base, map->capacity, capacity, MREMAP_MAYMOVE);
    if (base == MAP_FAILED) return throw_errno(env, "growing the journal map", errno);
    map->base = base;
    map->capacity = capacity;
  }
  if (length > 0) memcpy(map->base + position, data, length);
  return NULL;
}

/* unmap(map): releases the mapping (what was written stays in the file); idempotent. */
static napi_value unmap_file(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, "unmap(map)")) return NULL;
  JournalMap *map = unwrap(env, argv[0]);
  if (!map) return NULL;
  unmap(map);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor methods[] = {
      {"map", NULL, map_file, NULL, NULL, NULL, napi_default, NULL},
      {"write", NULL, write_at, NULL, NULL, NULL, napi_default, NULL},
      {"unmap", NULL, unmap_file, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}
