//! Tests of the Python adapters on the real fixtures and on bad input.
