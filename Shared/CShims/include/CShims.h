#ifndef SMART_TICKET_CSHIMS_H
#define SMART_TICKET_CSHIMS_H

/* Thin wrappers over Linux calls that Swift's Glibc module does not import. */

int cshims_accept_cloexec(int listener);

/* pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start (no window for a concurrent spawn to inherit them). */
int cshims_pipe_cloexec(int fds[2]);

/* posix_spawn_file_actions_addclosefrom_np(actions, from) (glibc 2.34): the child closes every descriptor from `from` on.
   `actions` is a posix_spawn_file_actions_t *, passed as void * so this header needs no <spawn.h>. */
int cshims_spawn_addclosefrom(void *actions, int from);

/* malloc_trim(0): returns the heap's free pages to the system (glibc; 0 where there is none). */
int cshims_malloc_trim(void);

#endif
