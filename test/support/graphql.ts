export { graphql, type GraphQLResponse } from '@hub/toolkit/testing';
