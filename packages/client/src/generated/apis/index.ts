/* tslint:disable */
/* eslint-disable */
export * from './AnnotationJobsApi.js';
export * from './DataAnnotationsApi.js';
