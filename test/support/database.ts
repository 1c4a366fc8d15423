export { createTestDatabase, type TestDatabase } from '@hub/toolkit/testing';
