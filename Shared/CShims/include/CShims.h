#ifndef SMART_TICKET_CSHIMS_H
#define SMART_TICKET_CSHIMS_H

/* Thin wrappers over Linux calls that Swift's Glibc module does not import. */

int cshims_accept_cloexec(int listener);

/* pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start (no window for a concurrent spawn to inherit them). */
int cshims_pipe_cloexec(int fds[2]);

#endif
