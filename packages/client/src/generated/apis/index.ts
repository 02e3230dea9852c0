/* tslint:disable */
/* eslint-disable */
export * from './DataAnnotationsApi.js';
