using System.Diagnostics.CodeAnalysis;

// CA2213 on TorchSharp networks: their submodules, parameters and buffers are registered with RegisterComponents, and
// TorchSharp's Module.Dispose disposes what was registered (tests/Atelier.Core.Tests/Platform/ModuleDisposalTests.cs
// checks it). A field that is not registered is still reported everywhere else.

[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Metrics.DomainClassifier.Network", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Metrics.InceptionV3Features.Inception3", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Metrics.InceptionV3Features.BasicConv2d", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Metrics.InceptionV3Features.InceptionA", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Metrics.InceptionV3Features.InceptionB", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Metrics.InceptionV3Features.InceptionC", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Metrics.InceptionV3Features.InceptionD", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Metrics.InceptionV3Features.InceptionE", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.ClassicGenerator", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.DcganGenerator", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.LabelledDiscriminator", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.MinibatchDiscrimination", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.ReferenceLatents", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.VirtualBatchNorm2d", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.Pretrained.ResNet18Network", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.Pretrained.ResNetBasicBlock", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.Projected.ProjectedDiscriminator", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.Projected.ProjectedFeatures", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.Projected.ScaleDiscriminator", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.Fastgan.FastganGenerator", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Scope = "type", Target = "~T:Atelier.Models.Fastgan.FastganExcitation", Justification = "Registered with RegisterComponents; Module.Dispose disposes it.")]
