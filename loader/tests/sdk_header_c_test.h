#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

size_t c_sizeof_callout_table(void);
size_t c_sizeof_server_options(void);
size_t c_offsetof_scope_id(void);
size_t c_sizeof_wchar(void);
unsigned long c_drop_gen_failure(void);

#ifdef __cplusplus
}
#endif
