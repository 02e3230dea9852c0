/* tslint:disable */
/* eslint-disable */
export * from './ClassificationImageTags.js';
export * from './DetectionImageTags.js';
export * from './DetectionImageTagsTags.js';
export * from './DetectionTag.js';
export * from './ErrorBody.js';
export * from './ImageTags.js';
export * from './ShowImageTagsRequest.js';
export * from './ShowImageTagsResponse.js';
