//! Halle's exports checked by the official validators (see `support`), and round trips.

mod support;
