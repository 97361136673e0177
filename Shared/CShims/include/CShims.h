#ifndef SMART_TICKET_CSHIMS_H
#define SMART_TICKET_CSHIMS_H

/* Thin wrappers over Linux calls that Swift's Glibc module does not import. */

int cshims_accept_cloexec(int listener);

#endif
